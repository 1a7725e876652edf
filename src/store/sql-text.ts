// The output's way to query/quote.ts, kept while src/output moves in: its export code imports
// quoteString from here. Everything else imports query/quote.ts directly.
export { quoteString } from '../query/quote.js';
