// `repo test` runs every package as one multi-project run and ignores a
// package's own testTimeout; these tests start backends and HTTP servers.
jest.setTimeout(30_000);
