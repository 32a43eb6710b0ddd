import { copyText, copyTextField } from './copyText';

describe('copyTextField', () => {
  it.each([
    ['NULL', null, '\\N'],
    ['the text \\N', '\\N', '\\\\N'],
    ['empty text', '', ''],
    ['zero', 0, '0'],
    ['the largest integer', 2147483647, '2147483647'],
    ['plain text', 'Coupe/Convertible', 'Coupe/Convertible'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a tab', 'a\tb', 'a\\tb'],
    ['line breaks', 'a\nb\r\nc', 'a\\nb\\r\\nc'],
    ['specials side by side', '\\\t\\', '\\\\\\t\\\\'],
  ])('writes %s', (_, value, expected) => {
    expect(copyTextField(value)).toBe(expected);
  });
});

describe('copyText', () => {
  it('separates fields by tabs and ends every row with a newline', () => {
    expect(
      copyText([
        ['2023-01', 'BMW', null, 'Petrol', 'Sedan', 12],
        ['2023-01', 'TAB\tMAKE', 'PI', 'Petrol', 'Sedan', 0],
      ]),
    ).toBe(
      '2023-01\tBMW\t\\N\tPetrol\tSedan\t12\n' +
        '2023-01\tTAB\\tMAKE\tPI\tPetrol\tSedan\t0\n',
    );
  });

  it('writes nothing for no rows', () => {
    expect(copyText([])).toBe('');
  });
});
