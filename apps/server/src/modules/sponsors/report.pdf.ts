import PDFDocument from 'pdfkit';
import type { DeliverableMetric } from '@mona/shared';
import type { SponsorReportDto } from './sponsors.schemas.ts';

export const METRIC_LABELS: Record<DeliverableMetric, string> = {
  logo_hours: 'On-stream logo hours',
  mentions: 'Organic mentions',
  dedicated_posts: 'Dedicated posts',
  reach: 'Reach',
  impressions: 'Impressions',
  engagement: 'Engagement',
  leads: 'Leads',
};

const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const euros = (cents: number) => `${(cents / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })} EUR`;

/**
 * The sponsor report as an A4 PDF, drawn with pdfkit and its built-in
 * Helvetica (no font files, no network): title, sponsor, villa and dates, a
 * promised vs delivered table, and a bar per deliverable (capped at 100 %,
 * the percentage printed beside it). Resolves with the whole file.
 */
export function renderReportPdf(report: SponsorReportDto): Promise<Buffer> {
  const { sponsorship: s } = report;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Sponsor report: ${s.sponsor.companyName}, ${s.villa.name}`, Author: 'MONA x SPARK' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.fillColor('#111111').font('Helvetica-Bold').fontSize(22).text('SPARK sponsor report', left, 50);
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor('#555555')
    .text(report.final ? 'Final report' : 'Live report (provisional)');
  doc.moveDown(1);
  doc.fillColor('#111111').font('Helvetica-Bold').fontSize(14).text(s.sponsor.companyName);
  doc.font('Helvetica').fontSize(11);
  doc.text(`Sector: ${s.sponsor.sector}`);
  doc.text(`Package: ${s.packageName} (${euros(s.priceCents)})${s.exclusiveSector ? `, exclusive in ${s.exclusiveSector}` : ''}`);
  doc.text(`Villa: ${s.villa.name}, ${s.villa.place}`);
  doc.text(`Dates: ${s.villa.arrivalOn} (J-1) to ${s.villa.endsOn} (J7), ${report.timeZone}`);
  doc.text(`Generated: ${report.generatedAt.slice(0, 10)}`);
  doc.moveDown(1.5);

  // The table: deliverable | promised | delivered | %
  const columns = [
    { title: 'Deliverable', x: left, w: 200, align: 'left' as const },
    { title: 'Promised', x: left + 200, w: 100, align: 'right' as const },
    { title: 'Delivered', x: left + 300, w: 100, align: 'right' as const },
    { title: '%', x: left + 400, w: width - 400, align: 'right' as const },
  ];
  let y = doc.y;
  doc.font('Helvetica-Bold').fontSize(11);
  for (const c of columns) doc.text(c.title, c.x, y, { width: c.w, align: c.align });
  y += 18;
  doc
    .moveTo(left, y - 4)
    .lineTo(left + width, y - 4)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  doc.font('Helvetica').fontSize(11);
  for (const d of s.deliverables) {
    const cells = [METRIC_LABELS[d.metric], number(d.promised), number(d.delivered), d.percent === null ? '-' : `${number(d.percent)} %`];
    cells.forEach((text, i) => doc.text(text, columns[i]!.x, y, { width: columns[i]!.w, align: columns[i]!.align }));
    y += 18;
  }
  y += 24;

  // One bar per deliverable.
  doc.font('Helvetica-Bold').fontSize(13).fillColor('#111111').text('Delivery progress', left, y);
  y += 24;
  const barX = left + 170;
  const barW = width - 170 - 60;
  for (const d of s.deliverables) {
    const ratio = d.percent === null ? 0 : Math.min(d.percent, 100) / 100;
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor('#111111')
      .text(METRIC_LABELS[d.metric], left, y + 2, { width: 165 });
    doc.rect(barX, y, barW, 14).fillColor('#e5e7eb').fill();
    if (ratio > 0)
      doc
        .rect(barX, y, barW * ratio, 14)
        .fillColor(ratio >= 1 ? '#15803d' : '#2563eb')
        .fill();
    doc.fillColor('#111111').text(d.percent === null ? '-' : `${number(d.percent)} %`, barX + barW + 8, y + 2, { width: 52 });
    y += 24;
  }
  doc.end();
  return done;
}
