import { request, type IncomingMessage } from 'node:http';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { until } from './harness.ts';

/**
 * A live Server-Sent Events connection, parsed with eventsource-parser as the web
 * app parses it. The request goes through node:http on a connection of its own
 * (no pool): fetch's pool may open a spare connection after an abort, which then
 * holds the server's shutdown until the headers timeout.
 */
export async function openEventStream(url: string, headers: Record<string, string>) {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  let ended = false;
  const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  const req = request(url, { headers, agent: false });
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => parser.feed(chunk));
  const done = new Promise<void>((resolve) => {
    const finish = () => {
      ended = true;
      resolve();
    };
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    events,
    comments,
    isEnded: () => ended,
    /** The body of the n-th event named `name`, parsed (waits for it). */
    async event(name: string, n = 1): Promise<unknown> {
      return until(`SSE event ${name} #${n}`, async () => {
        const matching = events.filter((e) => e.event === name);
        return matching.length >= n ? (JSON.parse(matching[n - 1]!.data) as unknown) : undefined;
      });
    },
    /** Closes the connection (the server sees the client go). */
    async close() {
      req.destroy();
      await done;
    },
  };
}
