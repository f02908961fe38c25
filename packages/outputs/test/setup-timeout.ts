// The preset's `testTimeout` is ignored when jest runs the workspace as projects (the root
// `pnpm test`), leaving jest's 5 s default; tests against real servers (openssl key generation,
// nats-server restarts, child processes) need longer on a loaded machine.
jest.setTimeout(60000);
