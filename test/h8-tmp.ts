import { readFileSync } from 'node:fs';
import { renderUserDetail } from '../src/report/user-detail.js';
import { renderTable } from '../src/report/table.js';
const a = JSON.parse(readFileSync('/tmp/h8-demo.json', 'utf8'));
let out = '';
for (const u of a.users) out += renderUserDetail(u, { color: false, width: 200 });
out += renderTable(a, { color: false, width: 300 });
process.stdout.write(out);
