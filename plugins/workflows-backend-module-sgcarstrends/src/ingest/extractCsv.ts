import { InputError } from '@backstage/errors';
import { unzipSync } from 'fflate';

/** The file name without folders (ZIPs from Windows may use backslashes). */
function baseNameOf(entryName: string): string {
  return entryName.slice(
    Math.max(entryName.lastIndexOf('/'), entryName.lastIndexOf('\\')) + 1,
  );
}

/**
 * Returns the bytes of the entry named `baseName`, in whichever folder of the
 * ZIP it sits (LTA moved the COE files into a sub-folder once). `zipLabel`
 * names the ZIP in errors.
 */
export function extractCsv(
  zipBytes: Uint8Array,
  baseName: string,
  zipLabel: string,
): Uint8Array {
  const entryNames: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zipBytes, {
      // Decompresses only the wanted entry; records the rest for the error.
      filter: file => {
        if (!file.name.endsWith('/')) {
          entryNames.push(file.name);
        }
        return baseNameOf(file.name) === baseName;
      },
    });
  } catch (error) {
    throw new InputError(
      `${zipLabel} is not a readable ZIP file: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }

  const matches = Object.keys(entries);
  if (matches.length === 0) {
    throw new InputError(
      `${zipLabel} does not contain ${baseName}; its entries are: ${
        entryNames.length > 0 ? entryNames.join(', ') : '(none)'
      }`,
    );
  }
  if (matches.length > 1) {
    throw new InputError(
      `${zipLabel} contains ${baseName} more than once: ${matches.join(', ')}`,
    );
  }
  return entries[matches[0]];
}
