import { useEffect, useState } from 'react';
import QRCode from 'qrcode';

/**
 * The join link as a QR code, drawn as SVG by the qrcode library (no image, no network).
 * `data-text` is the text it encodes, for a reader of the page (and its tests).
 */
export function QrCode({ text, label, className = 'class-qr', testId = 'class-qr' }: { text: string; label: string; className?: string; testId?: string }) {
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
  return svg ? (
    <div className={className} role="img" aria-label={label} data-testid={testId} data-text={text} dangerouslySetInnerHTML={{ __html: svg }} />
  ) : null;
}
