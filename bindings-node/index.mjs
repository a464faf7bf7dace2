// ESM entry: the same classes as the CommonJS entry (one module instance, so instanceof holds across both).
import Cloudflare from './index.js'

export const {
  CloudflareError,
  APIError,
  BadRequestError,
  AuthenticationError,
  MissingCredentialsError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ConfigurationError,
  InvalidArgumentError,
  Page,
  PagePromise,
  Resource,
  Secret,
  Tokens,
} = Cloudflare
export { Cloudflare }
export default Cloudflare
