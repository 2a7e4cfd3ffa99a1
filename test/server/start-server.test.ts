import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { UsageError } from '../../src/domain/errors.js';
import { isLoopback } from '../../src/server/loopback.js';
import { startServer } from '../../src/server/start-server.js';

describe('where the dashboard listens', () => {
  it('knows loopback addresses from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1'])
      expect(isLoopback(h), h).toBe(false);
  });

  it('refuses anything but loopback unless --host allowed it, before binding', async () => {
    const app = new Hono();
    await expect(startServer(app, { host: '0.0.0.0', port: 0 }, new Set(), false)).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('listens on 127.0.0.1 and tells the app the names it is reached by', async () => {
    const app = new Hono();
    app.get('/ping', (c) => c.text('pong'));
    const hosts = new Set<string>();
    const server = await startServer(app, { host: '127.0.0.1', port: 0 }, hosts, false);
    try {
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = new URL(server.origin).port;
      expect([...hosts].sort()).toEqual([`127.0.0.1:${port}`, `localhost:${port}`]);
      expect(await (await fetch(`${server.origin}/ping`)).text()).toBe('pong');
    } finally {
      await server.close();
    }
  });
});
