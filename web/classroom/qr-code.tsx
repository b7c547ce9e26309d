import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/** The join link as a QR code, drawn as SVG by the qrcode library (no image, no network). */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (made) => alive && setSvg(made),
      () => alive && setSvg(null),
    );
    return () => {
      alive = false;
    };
  }, [text]);
  // The SVG is the library's output for our own link, not user input.
  return svg ? <div className="class-qr" role="img" aria-label={label} data-testid="class-qr" dangerouslySetInnerHTML={{ __html: svg }} /> : null;
}
