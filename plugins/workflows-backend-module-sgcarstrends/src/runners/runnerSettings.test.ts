import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readRunnerSettings } from './runnerSettings';

const MIB = 1024 * 1024;

function settingsWithSource(source: JsonObject) {
  return readRunnerSettings(
    new ConfigReader({ workflows: { sgcarstrends: { source } } }),
  );
}

describe('readRunnerSettings', () => {
  it('limits what a ZIP may inflate to 64 MiB an entry, 128 MiB in all and a ratio of 100 by default', () => {
    expect(readRunnerSettings(new ConfigReader({})).zipLimits).toEqual({
      maxEntryBytes: 64 * MIB,
      maxTotalBytes: 128 * MIB,
      maxCompressionRatio: 100,
    });
  });

  it('reads the limits from workflows.sgcarstrends.source, in MiB', () => {
    expect(
      settingsWithSource({
        maxEntryMegabytes: 8,
        maxTotalMegabytes: 0.5,
        maxCompressionRatio: 20,
      }).zipLimits,
    ).toEqual({
      maxEntryBytes: 8 * MIB,
      maxTotalBytes: MIB / 2,
      maxCompressionRatio: 20,
    });
  });

  it.each([
    [
      { maxEntryMegabytes: 0 },
      'workflows.sgcarstrends.source.maxEntryMegabytes must be a positive number of megabytes (MiB), got 0',
    ],
    [
      { maxTotalMegabytes: -1 },
      'workflows.sgcarstrends.source.maxTotalMegabytes must be a positive number of megabytes (MiB), got -1',
    ],
    [
      { maxCompressionRatio: 0.5 },
      'workflows.sgcarstrends.source.maxCompressionRatio must be a number of at least 1, got 0.5',
    ],
  ])('rejects %p naming the key', (source, message) => {
    expect(() => settingsWithSource(source)).toThrow(message);
  });

  it('rejects a limit that is not a number, naming the key', () => {
    expect(() => settingsWithSource({ maxCompressionRatio: 'lots' })).toThrow(
      /workflows\.sgcarstrends\.source\.maxCompressionRatio/,
    );
  });
});
