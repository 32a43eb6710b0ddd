// `testTimeout` in package.json is a global jest option: `repo test` runs every
// package as one multi-project run and ignores it, so the timeout is set here.
// These tests start servers and databases; under load they need more than 5 s.
jest.setTimeout(30_000);
