import { LogViewer } from '@backstage/core-components';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

const FOLD_LINES = 12;
const FOLD_CHARS = 600;

/** The first lines (or characters) of a long text, and whether anything was left out. */
export function foldText(text: string): { head: string; folded: boolean } {
  const lines = text.split('\n');
  let head =
    lines.length > FOLD_LINES ? lines.slice(0, FOLD_LINES).join('\n') : text;
  if (head.length > FOLD_CHARS) head = head.slice(0, FOLD_CHARS);
  return { head, folded: head.length < text.length };
}

/** Monospace text that shows its beginning and folds the rest behind "Show more". */
export function FoldedText({
  text,
  label,
  color,
}: {
  text: string;
  label: string;
  color?: 'error';
}) {
  const [open, setOpen] = useState(false);
  const { head, folded } = foldText(text);
  const hiddenLines = text.split('\n').length - head.split('\n').length;
  return (
    <Box role="group" aria-label={label}>
      <Typography
        component="pre"
        variant="body2"
        color={color === 'error' ? 'error' : 'text.primary'}
        sx={{
          m: 0,
          fontFamily: 'monospace',
          whiteSpace: 'pre-wrap',
          // Long tokens (ids, URLs, base64) break instead of widening the page.
          overflowWrap: 'anywhere',
        }}
      >
        {open || !folded ? text : `${head}…`}
      </Typography>
      {folded && (
        <Button
          size="small"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          sx={{ mt: 0.5, px: 0 }}
        >
          {open
            ? 'Show less'
            : `Show more${
                hiddenLines > 0 ? ` (${hiddenLines} more lines)` : ''
              }`}
        </Button>
      )}
    </Box>
  );
}

type Readable =
  | { kind: 'empty' }
  | { kind: 'json'; text: string }
  | { kind: 'lines'; text: string }
  | { kind: 'text'; text: string };

/** JSON is pretty-printed; a JSON string is shown as its text; anything else as sent. */
export function readableOutput(output: string | null): Readable {
  if (output === null || output.trim() === '') return { kind: 'empty' };
  let text = output;
  try {
    const value: unknown = JSON.parse(output);
    if (typeof value === 'string') {
      text = value;
    } else {
      return { kind: 'json', text: JSON.stringify(value, null, 2) };
    }
  } catch {
    // Not JSON (or shortened by the backend): plain text.
  }
  return text.includes('\n') ? { kind: 'lines', text } : { kind: 'text', text };
}

/** A step's output: pretty JSON, a log viewer for multi-line text, folded when long. */
export function StepOutput({
  output,
  stepName,
}: {
  output: string | null;
  stepName: string;
}) {
  const readable = readableOutput(output);
  if (readable.kind === 'empty') {
    return (
      <Typography variant="body2" color="text.secondary">
        No output
      </Typography>
    );
  }
  if (readable.kind === 'lines') {
    const lines = readable.text.split('\n').length;
    return (
      <Box
        aria-label={`Output of ${stepName}`}
        role="group"
        sx={{ height: Math.min(60 + lines * 20, 360) }}
      >
        <LogViewer text={readable.text} textWrap />
      </Box>
    );
  }
  return <FoldedText text={readable.text} label={`Output of ${stepName}`} />;
}
