import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A grid of labelled values (a description list) that wraps with the width. */
export function FactList({
  minColumnWidth,
  children,
}: {
  minColumnWidth: number;
  children: ReactNode;
}) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        display: 'grid',
        gap: 2,
        gridTemplateColumns: `repeat(auto-fill, minmax(${minColumnWidth}px, 1fr))`,
      }}
    >
      {children}
    </Box>
  );
}

/** One labelled value of a {@link FactList}; `id` makes it a link target. */
export function Fact({
  term,
  id,
  children,
}: {
  term: string;
  id?: string;
  children: ReactNode;
}) {
  return (
    <Box id={id} sx={{ minWidth: 0 }}>
      <Typography
        component="dt"
        variant="overline"
        color="text.secondary"
        sx={{ lineHeight: 1.6 }}
      >
        {term}
      </Typography>
      <Box component="dd" sx={{ m: 0 }}>
        {children}
      </Box>
    </Box>
  );
}
