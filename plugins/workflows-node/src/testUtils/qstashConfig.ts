/** What tests know of a QStash server they started. */
export interface TestQStash {
  url: string;
  token: string;
  currentSigningKey: string;
  nextSigningKey: string;
}

/** The `workflows.qstash` config block that points a test backend at `server`. */
export function qstashConfigFor(server: TestQStash) {
  return {
    url: server.url,
    token: server.token,
    currentSigningKey: server.currentSigningKey,
    nextSigningKey: server.nextSigningKey,
  };
}
