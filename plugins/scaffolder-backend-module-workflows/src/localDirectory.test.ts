import { mockServices } from '@backstage/backend-test-utils';
import path from 'node:path';
import { readLocalDirectory } from './localDirectory';

const read = (localDirectory: string | number) =>
  readLocalDirectory(
    mockServices.rootConfig({
      data: { workflows: { scaffolder: { localDirectory } } },
    }),
  );

describe('readLocalDirectory', () => {
  it('resolves a folder', () => {
    expect(read('data/workflows')).toBe(path.resolve('data/workflows'));
  });

  it("treats '' (the production config) and absence as off", () => {
    expect(read('')).toBeUndefined();
    expect(readLocalDirectory(mockServices.rootConfig())).toBeUndefined();
  });

  it('names the key when the value is not a path', () => {
    expect(() => read(42)).toThrow(
      "Invalid type in config for key 'workflows.scaffolder.localDirectory'",
    );
  });
});
