import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Pages render through the whole test app; on a busy machine 1 s is too tight.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
