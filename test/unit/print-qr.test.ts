import QRCode from 'qrcode';
import { noticeHtml } from '../../api/routes/notices/handlers';
import { qrFigure } from '../../api/html';
import { composeMonthlyNotice } from '../../common/monthly-notice';

describe('printed notices carry a QR code to the board', () => {
  const url = 'http://192.168.1.20:3000/#/villages/xinglong';

  test('the QR code draws exactly the dark modules of the address, with the address written under it', () => {
    const html = qrFigure(url, '扫码');
    const dark = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules.data.filter((m) => m === 1).length;
    expect((html.match(/h1v1h-1z/g) ?? []).length).toBe(dark);
    expect(html).toContain(`<span class="url">${url}</span>`);
    expect(qrFigure('http://x/#/villages/dongfeng', '扫码')).not.toBe(html);
  });

  test('the monthly notice prints it when it knows the board address', () => {
    const notice = composeMonthlyNotice({
      village: 'xinglong',
      month: '2026-10',
      publishedAt: '2026-11-01T00:00:00.000Z',
      publishedBy: 'w',
      matters: [],
      opinions: [],
    });
    expect(noticeHtml(notice, url)).toContain('<figure class="qr">');
    expect(noticeHtml(notice)).not.toContain('<figure class="qr">');
  });
});
