/**
 * `npm run loadtest:local -- --port <n>`: the local platform the load test starts listens on that
 * port; a port in use is one line saying how to pick another, exit 1; a bad value is a usage error.
 */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { runLocal, takePort } from '../../load-tests/run-local';
import { UsageError, type LoadTestOptions } from '../../load-tests/run';
import { freePort } from '../../local/stores/redis';

function captured(stream: 'log' | 'error'): { lines: string[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest
    .spyOn(console, stream)
    .mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  return { lines, restore: () => spy.mockRestore() };
}

test('GIVEN arguments with --port WHEN parsed THEN --port is taken out, the rest goes to the load test', () => {
  expect(takePort(['--profile', 'smoke', '--port', '3456', '--quiet'])).toEqual({
    port: 3456,
    rest: ['--profile', 'smoke', '--quiet'],
  });
  expect(takePort(['--port=0', '--profile', 'smoke'])).toEqual({ port: 0, rest: ['--profile', 'smoke'] });
  expect(takePort(['--profile', 'smoke'])).toEqual({ port: 0, rest: ['--profile', 'smoke'] });
  for (const bad of [['--port'], ['--port', 'abc'], ['--port=70000'], ['--port', '-1']])
    expect(() => takePort(bad)).toThrow(UsageError);
});

test('GIVEN --port <n> WHEN run THEN the platform listens on it and the load test targets it', async () => {
  const port = await freePort();
  const out = captured('log');
  let target: string | undefined;
  let health: number | undefined;
  try {
    const code = await runLocal(
      ['--profile', 'smoke', '--port', String(port)],
      async (opts: LoadTestOptions) => {
        target = opts.target;
        health = (await fetch(`${opts.target}/v1/health`)).status;
        return { exitCode: 0 };
      },
    );
    expect(code).toBe(0);
  } finally {
    out.restore();
  }
  expect(target).toBe(`http://127.0.0.1:${port}`);
  expect(health).toBe(200);
});

test('GIVEN --port taken WHEN run THEN one line says how to pick another, exit 1, no load test', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  const err = captured('error');
  const run = jest.fn();
  try {
    expect(await runLocal(['--profile', 'smoke', '--port', String(port)], run)).toBe(1);
  } finally {
    err.restore();
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
  expect(err.lines).toEqual([
    `loadtest:local: port ${port} is already in use (EADDRINUSE): pick another one with --port ${port + 1}, or drop --port for any free port`,
  ]);
  expect(run).not.toHaveBeenCalled();
});

test('GIVEN a bad --port WHEN run THEN a usage error that shows --port, exit 2', async () => {
  const err = captured('error');
  try {
    expect(await runLocal(['--profile', 'smoke', '--port', 'abc'])).toBe(2);
  } finally {
    err.restore();
  }
  expect(err.lines.join('\n')).toContain('--port must be a port number (0-65535), got "abc"');
  expect(err.lines.join('\n')).toContain(
    'npm run loadtest:local -- --profile <smoke|capacity|soak> [--port <n>]',
  );
});
