import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Fastify's log lines about requests, without the ones every request makes (LOG_REQUESTS=off):
 * no "incoming request" / "request completed" pair, no line per 4xx or unknown route; a request
 * that failed (an error after the answer began, a 5xx) is still logged, with its error.
 */
export class ErrorsOnlyRequestLogs extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
  }

  override routeNotFound(): void {}
}
