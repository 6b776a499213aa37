import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardSvg, PICTURE_FILE, pictureBody } from '../tools/dashboard-picture';

/** `npm run picture`: redraws docs/dashboard.svg from the dashboard's definition. */
writeFileSync(join(__dirname, '..', PICTURE_FILE), dashboardSvg(pictureBody()));
console.log(`${PICTURE_FILE} written.`);
