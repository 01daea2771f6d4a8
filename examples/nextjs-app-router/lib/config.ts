/** The API the example talks to; set API_URL for your own. */
export const API_URL = process.env.API_URL ?? 'http://127.0.0.1:4000'
