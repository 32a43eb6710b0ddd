import jsep from 'jsep';

/** Upper bound of any retry delay, as in QStash: one day. */
export const MAX_RETRY_DELAY_MS = 86_400_000;

/**
 * The default QStash backoff before retry number `retryNumber` (1 for the
 * first retry): min(86400, e^(2.5 n)) seconds.
 */
export function defaultBackoffMs(retryNumber: number): number {
  return Math.min(86_400, Math.exp(2.5 * retryNumber)) * 1000;
}

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  pow: Math.pow,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
};

const FUNCTION_ARITY: Record<string, number> = {
  pow: 2,
  exp: 1,
  sqrt: 1,
  abs: 1,
  floor: 1,
  ceil: 1,
  round: 1,
  min: 2,
  max: 2,
};

const BINARY: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
};

type Evaluator = (retried: number) => number;

// Turns the parsed tree into a closure, refusing anything outside plain
// arithmetic so a header can never reach JavaScript objects or functions.
function compileNode(node: jsep.Expression): Evaluator {
  switch (node.type) {
    case 'Literal': {
      const { value } = node as jsep.Literal;
      if (typeof value !== 'number') {
        throw new Error(`only numbers are allowed, got ${String(value)}`);
      }
      return () => value;
    }
    case 'Identifier': {
      const { name } = node as jsep.Identifier;
      if (name !== 'retried') {
        throw new Error(`unknown variable "${name}" (only "retried" exists)`);
      }
      return retried => retried;
    }
    case 'UnaryExpression': {
      const { operator, argument } = node as jsep.UnaryExpression;
      const inner = compileNode(argument);
      if (operator === '-') return retried => -inner(retried);
      if (operator === '+') return inner;
      throw new Error(`operator "${operator}" is not supported`);
    }
    case 'BinaryExpression': {
      const { operator, left, right } = node as jsep.BinaryExpression;
      const apply = BINARY[operator];
      if (!apply) throw new Error(`operator "${operator}" is not supported`);
      const l = compileNode(left);
      const r = compileNode(right);
      return retried => apply(l(retried), r(retried));
    }
    case 'CallExpression': {
      const { callee, arguments: args } = node as jsep.CallExpression;
      const name =
        callee.type === 'Identifier' ? (callee as jsep.Identifier).name : '';
      const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!fn) throw new Error(`function "${name}" is not supported`);
      if (args.length !== FUNCTION_ARITY[name]) {
        throw new Error(
          `function "${name}" takes ${FUNCTION_ARITY[name]} argument(s)`,
        );
      }
      const compiledArgs = args.map(compileNode);
      return retried => fn(...compiledArgs.map(arg => arg(retried)));
    }
    default:
      throw new Error(`"${node.type}" is not allowed in a retry delay`);
  }
}

/**
 * Compiles an `Upstash-Retry-Delay` expression (milliseconds, variable
 * `retried` = retries done before this one). Throws with a readable reason when
 * the expression is not valid.
 */
export function compileRetryDelay(expression: string): Evaluator {
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (error) {
    throw new Error(
      `cannot parse "${expression}": ${(error as Error).message}`,
    );
  }
  const evaluate = compileNode(tree);
  return retried => {
    const value = evaluate(retried);
    if (!Number.isFinite(value) || value < 0) return 0;
    return Math.min(value, MAX_RETRY_DELAY_MS);
  };
}
