/**
 * A drawn signature: a canvas that follows a finger, pen or mouse (pointer events, so one code
 * path for all three), with undo of the last stroke and clear. The strokes are kept as points and
 * redrawn, so undo is exact and the exported PNG (transparent background, dark ink) is as sharp
 * as the screen allows.
 */
import { useCallback, useEffect, useImperativeHandle, useRef, useState, type PointerEvent as ReactPointerEvent, type Ref } from 'react';
import type { Translate } from '../i18n.ts';

type Point = { x: number; y: number };

export interface SignaturePadHandle {
  /** The signature as a PNG; rejects when nothing is drawn. */
  toPng(): Promise<Blob>;
}

export interface SignaturePadProps {
  padRef: Ref<SignaturePadHandle>;
  disabled: boolean;
  t: Translate;
  /** Called with whether anything is drawn, after every change. */
  onInk(hasInk: boolean): void;
}

const INK = '#13235b';
/** Export scale: at least 2 device pixels per CSS pixel, so the PDF copy is crisp. */
const EXPORT_SCALE = 2;

function draw(ctx: CanvasRenderingContext2D, strokes: Point[][], scale: number): void {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.save();
  ctx.scale(scale, scale);
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = 2.5;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    if (rest.length === 0) {
      ctx.beginPath();
      ctx.arc(first.x, first.y, 1.5, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x, first.y);
    for (const point of rest) ctx.lineTo(point.x, point.y);
    ctx.stroke();
  }
  ctx.restore();
}

export function SignaturePad({ padRef, disabled, t, onInk }: SignaturePadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Point[][]>([]);
  const drawing = useRef<number | null>(null);
  const size = useRef({ width: 0, height: 0, scale: 1 });
  const strokesRef = useRef(strokes);

  const redraw = useCallback((current: Point[][]) => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    if (ctx) draw(ctx, current, size.current.scale);
  }, []);

  // Match the canvas's pixels to its laid-out size (and the screen's density).
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const fitToBox = () => {
      const rect = element.getBoundingClientRect();
      const scale = Math.max(window.devicePixelRatio || 1, 1);
      size.current = { width: rect.width, height: rect.height, scale };
      element.width = Math.round(rect.width * scale);
      element.height = Math.round(rect.height * scale);
      redraw(strokesRef.current);
    };
    fitToBox();
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(fitToBox) : null;
    observer?.observe(element);
    return () => observer?.disconnect();
  }, [redraw]);

  useEffect(() => {
    strokesRef.current = strokes;
    redraw(strokes);
    onInk(strokes.length > 0);
  }, [strokes, redraw, onInk]);

  useImperativeHandle(
    padRef,
    () => ({
      toPng: () =>
        new Promise<Blob>((resolve, reject) => {
          const current = strokesRef.current;
          if (current.length === 0) return reject(new Error('nothing drawn'));
          const out = document.createElement('canvas');
          out.width = Math.round(size.current.width * EXPORT_SCALE);
          out.height = Math.round(size.current.height * EXPORT_SCALE);
          const ctx = out.getContext('2d');
          if (!ctx) return reject(new Error('no canvas'));
          draw(ctx, current, EXPORT_SCALE);
          out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('could not encode the signature'))), 'image/png');
        }),
    }),
    [],
  );

  const pointOf = (event: ReactPointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  return (
    <div className="signature-pad">
      <canvas
        ref={canvas}
        className="signature-pad__canvas"
        data-testid="signature-pad"
        data-strokes={strokes.length}
        role="img"
        aria-label={t('contract.padLabel')}
        aria-disabled={disabled}
        onPointerDown={(event) => {
          if (disabled || (event.pointerType === 'mouse' && event.button !== 0)) return;
          event.preventDefault();
          event.currentTarget.setPointerCapture(event.pointerId);
          drawing.current = event.pointerId;
          // Read the point now: React clears currentTarget once the handler returns.
          const point = pointOf(event);
          setStrokes((current) => [...current, [point]]);
        }}
        onPointerMove={(event) => {
          if (drawing.current !== event.pointerId) return;
          const point = pointOf(event);
          setStrokes((current) => {
            const last = current.at(-1);
            if (!last) return current;
            return [...current.slice(0, -1), [...last, point]];
          });
        }}
        onPointerUp={(event) => {
          if (drawing.current === event.pointerId) drawing.current = null;
        }}
        onPointerCancel={(event) => {
          if (drawing.current === event.pointerId) drawing.current = null;
        }}
      />
      <div className="signature-pad__actions">
        <button
          type="button"
          className="button button--small"
          disabled={disabled || strokes.length === 0}
          onClick={() => setStrokes((current) => current.slice(0, -1))}
          data-testid="signature-undo"
        >
          {t('contract.undo')}
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={disabled || strokes.length === 0}
          onClick={() => setStrokes([])}
          data-testid="signature-clear"
        >
          {t('contract.clear')}
        </button>
      </div>
    </div>
  );
}
