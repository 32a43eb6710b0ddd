module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Contract tests assert through a helper that wraps expect().
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expectValid'] },
    ],
  },
});
