import { timingSafeEqual } from 'node:crypto';
import { NextFunction, Request, Response } from 'express';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Bearer-token check (`Authorization: Bearer <token>` or `?qstash_token=`). */
export function requireToken(token: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    const fromQuery = req.query.qstash_token;
    let given: string | undefined;
    if (header !== undefined) {
      const match = /^Bearer\s+(.+)$/i.exec(header.trim());
      given = match?.[1];
    } else if (typeof fromQuery === 'string') {
      given = fromQuery;
    }
    if (given === undefined) {
      res.status(401).json({
        error: 'missing credentials: send Authorization: Bearer <token>',
      });
      return;
    }
    if (!sameSecret(given, token)) {
      res.status(401).json({ error: 'invalid token' });
      return;
    }
    next();
  };
}
