// The report files of `bpfql run --report FILE`, chosen by the file's extension: one list for the
// flag's help, its error message and the writing. A report is a document about the run
// (assertions, baselines), not a query result, so these are not output formats (src/output);
// the extension is read as `-o` reads it.
import { extensionOf } from '../../output/formats.js';
import type { RunReport } from './report.js';
import { renderJsonReport } from './report-json.js';
import { renderJunitReport } from './report-junit.js';

interface ReportFormat {
  readonly name: string;
  /** What the file is, as in "a JSON report". */
  readonly description: string;
  readonly extension: string;
  readonly render: (report: RunReport) => string;
}

const REPORT_FORMATS = [
  { name: 'json', description: 'JSON', extension: 'json', render: renderJsonReport },
  { name: 'junit', description: 'JUnit XML', extension: 'xml', render: renderJunitReport },
] as const satisfies readonly ReportFormat[];

export type ReportFormatName = (typeof REPORT_FORMATS)[number]['name'];

/** `FILE.json|FILE.xml`, for help. */
export const REPORT_FILES = REPORT_FORMATS.map((f) => `FILE.${f.extension}`).join('|');

/** `a JSON or JUnit XML report`, for help. */
export const REPORT_KINDS = `a ${REPORT_FORMATS.map((f) => f.description).join(' or ')} report`;

/** `.json (JSON report) or .xml (JUnit XML report)`, for the message about a name that is neither. */
export const REPORT_NAMES = REPORT_FORMATS.map((f) => `.${f.extension} (${f.description} report)`).join(' or ');

/** The report format a path's extension (any case) names, or undefined. */
export function reportFormatOf(path: string): ReportFormatName | undefined {
  const ext = extensionOf(path);
  return REPORT_FORMATS.find((f) => f.extension === ext)?.name;
}

export function renderReport(format: ReportFormatName, report: RunReport): string {
  return REPORT_FORMATS.find((f) => f.name === format)!.render(report);
}
