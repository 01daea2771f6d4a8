// The hand-written refresh interceptor that most tutorials and answers teach: an `isRefreshing`
// flag plus a `failedQueue` of waiting promises. Reproduced in spirit, bugs and all, as a peer
// for the benchmark. Known flaws kept on purpose:
// - a 401 that arrives after the refresh ended starts a second refresh (the flag is reset);
// - queued requests are not marked `_retry`, so a second 401 on them loops into a new refresh;
// - `error.response.status` throws a TypeError on network errors (no response);
// - the request interceptor is registered as asynchronous (axios's default), adding a promise hop.
// The usual module-level `let`s live in a closure here so that each benchmark run starts clean.

/**
 * @param {import('axios').AxiosInstance} instance
 * @param {{ storage: { getItem(key: string): string | null, setItem(key: string, value: string): void }, refreshCall: (refreshToken: string | null) => Promise<{ data: { token: string, refreshToken: string } }> }} deps
 */
export function installFailedQueueInterceptor(instance, { storage, refreshCall }) {
  let isRefreshing = false
  let failedQueue = []

  const processQueue = (error, token = null) => {
    failedQueue.forEach((prom) => {
      if (error) {
        prom.reject(error)
      } else {
        prom.resolve(token)
      }
    })
    failedQueue = []
  }

  instance.interceptors.request.use((config) => {
    const token = storage.getItem('token')
    if (token) {
      config.headers['Authorization'] = 'Bearer ' + token
    }
    return config
  })

  instance.interceptors.response.use(
    (response) => response,
    (error) => {
      const originalRequest = error.config

      if (error.response.status === 401 && !originalRequest._retry) {
        if (isRefreshing) {
          return new Promise(function (resolve, reject) {
            failedQueue.push({ resolve, reject })
          })
            .then((token) => {
              originalRequest.headers['Authorization'] = 'Bearer ' + token
              return instance(originalRequest)
            })
            .catch((err) => {
              return Promise.reject(err)
            })
        }

        originalRequest._retry = true
        isRefreshing = true

        const refreshToken = storage.getItem('refreshToken')
        return new Promise(function (resolve, reject) {
          refreshCall(refreshToken)
            .then(({ data }) => {
              storage.setItem('token', data.token)
              storage.setItem('refreshToken', data.refreshToken)
              instance.defaults.headers.common['Authorization'] = 'Bearer ' + data.token
              originalRequest.headers['Authorization'] = 'Bearer ' + data.token
              processQueue(null, data.token)
              resolve(instance(originalRequest))
            })
            .catch((err) => {
              processQueue(err, null)
              reject(err)
            })
            .finally(() => {
              isRefreshing = false
            })
        })
      }

      return Promise.reject(error)
    },
  )
}
