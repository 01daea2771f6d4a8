// The reference row of the happy path: the interceptor everyone writes first. An `async`
// function is registered without `synchronous: true`, so axios runs the whole request
// through a promise chain instead of calling the adapter in the same tick.

/** @param {import('axios').AxiosInstance} instance @param {() => string} getToken */
export function installNaiveInterceptor(instance, getToken) {
  instance.interceptors.request.use(async (config) => {
    config.headers.Authorization = `Bearer ${getToken()}`
    return config
  })
}
