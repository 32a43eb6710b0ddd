import { Client, Receiver } from '@upstash/qstash';
import { apiClient } from './__testUtils__/apiClient';
import { startRecordingEndpoint } from './__testUtils__/recordingEndpoint';
import { startQStashLocal } from './index';

describe('signing keys', () => {
  it('signs with the current key, rotates, and breaks old keys after two rotations', async () => {
    const server = await startQStashLocal();
    const endpoint = await startRecordingEndpoint();
    try {
      const client = new Client({ baseUrl: server.url, token: server.token });
      const api = apiClient(server.url, server.token);
      // What an app configured at start-up holds.
      const appReceiver = new Receiver({
        currentSigningKey: server.currentSigningKey,
        nextSigningKey: server.nextSigningKey,
      });
      const deliverAndVerify = async (path: string) => {
        await client.publish({ url: `${endpoint.url}${path}`, body: path });
        const [request] = await endpoint.waitForCount(1, path);
        return appReceiver.verify({
          signature: String(request.headers['upstash-signature']),
          body: request.text,
          url: `${endpoint.url}${path}`,
        });
      };

      expect(await deliverAndVerify('/before')).toBe(true);

      const keysBefore = (await api.get('/v2/keys')).json;
      expect(keysBefore).toEqual({
        current: server.currentSigningKey,
        next: server.nextSigningKey,
      });

      const firstRotation = (await api.post('/v2/keys/rotate')).json;
      expect(firstRotation.current).toBe(keysBefore.next);
      expect(firstRotation.next).not.toBe(keysBefore.next);
      expect(server.currentSigningKey).toBe(firstRotation.current);
      // Signed with the old next key, which the app knows: still accepted.
      expect(await deliverAndVerify('/after-one-rotation')).toBe(true);

      await api.post('/v2/keys/rotate');
      await expect(deliverAndVerify('/after-two-rotations')).rejects.toThrow(
        /signature/i,
      );

      const tampered = endpoint.to('/before')[0];
      await expect(
        appReceiver.verify({
          signature: String(tampered.headers['upstash-signature']),
          body: `${tampered.text} changed`,
        }),
      ).rejects.toThrow(/body hash does not match/);
    } finally {
      await endpoint.close();
      await server.close();
    }
  });
});
