export { buildHttpServer, type HttpDeps, type HttpServer } from './app.ts';
export { AppError, type ErrorCode } from './errors.ts';
