import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { h } from './dom';
import { markerDiff, type Marker } from './logic/markers';

interface Canvas {
  addMarker(id: string, marker: string): void;
  removeMarker(id: string, marker: string): void;
  zoom(level?: number | 'fit-viewport', center?: 'auto'): number;
  scroll(delta: { dx: number; dy: number }): void;
  viewbox(box?: Box): { outer: { width: number; height: number } };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Overlays {
  add(
    id: string,
    type: string,
    overlay: { position: { top?: number; left?: number; bottom?: number; right?: number }; html: HTMLElement },
  ): string;
  remove(filter: { type: string }): void;
}

interface ElementRegistry {
  get(id: string): unknown;
}

interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  documentation?: { text?: string }[];
  flowElements?: ModdleElement[];
  rootElements?: ModdleElement[];
}

const MP_NS = 'http://xiaowei-quanli.cn/schema/bpmn/mp';

/** The BPMN with each element's `name` replaced by its `mp:nameEn` (parsed as XML, never as HTML). */
export function withEnglishNames(xml: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) return xml;
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const en = el.getAttributeNS(MP_NS, 'nameEn');
    if (en) el.setAttribute('name', en);
  }
  return new XMLSerializer().serializeToString(doc);
}

/** Below this zoom a phone cannot show a step's name legibly. */
const READABLE_ZOOM = 0.75;

export interface Badge {
  id: string;
  text: string;
  tone: string;
}

/**
 * bpmn-js NavigatedViewer (pan and zoom, no editing) with the matter's state drawn as markers
 * and badges. Markers change by difference, so a poll never redraws the diagram.
 */
export class Diagram {
  private readonly viewer: NavigatedViewer;
  private drawn: Marker[] = [];
  private focusIds: string[] = [];
  private userZoomed = false;
  private readonly resize: ResizeObserver;
  private readonly stopTouch: () => void;

  constructor(private readonly container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container });
    let lastWidth = 0;
    // the reader turned the phone or resized the window: frame the diagram again unless they zoomed
    this.resize = new ResizeObserver(() => {
      const width = container.clientWidth;
      if (width === lastWidth || width === 0) return;
      lastWidth = width;
      if (!this.userZoomed) this.frame();
    });
    this.resize.observe(container);
    this.stopTouch = this.touch();
  }

  /**
   * Phones: one finger pans the chart, two fingers pinch-zoom it (not the page). diagram-js moves
   * the canvas with a mouse only, so touches are turned into canvas scrolls and zooms here.
   */
  private touch(): () => void {
    const el = this.container;
    el.style.touchAction = 'none';
    const points = new Map<number, { x: number; y: number }>();
    let pinch: { distance: number; zoom: number } | undefined;
    const distance = () => {
      const [a, b] = [...points.values()];
      return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
    };
    const down = (e: PointerEvent) => {
      if (e.pointerType === 'mouse') return;
      points.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (points.size === 2) pinch = { distance: distance(), zoom: this.canvas().zoom() };
    };
    const move = (e: PointerEvent) => {
      const last = points.get(e.pointerId);
      if (!last) return;
      const now = { x: e.clientX, y: e.clientY };
      points.set(e.pointerId, now);
      this.userZoomed = true;
      if (points.size === 1) this.canvas().scroll({ dx: now.x - last.x, dy: now.y - last.y });
      else if (pinch && pinch.distance > 0) this.canvas().zoom((pinch.zoom * distance()) / pinch.distance, 'auto');
    };
    const up = (e: PointerEvent) => {
      points.delete(e.pointerId);
      if (points.size < 2) pinch = undefined;
    };
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) el.addEventListener(type, up);
    return () => {
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      for (const type of ['pointerup', 'pointercancel', 'pointerleave'] as const) el.removeEventListener(type, up);
    };
  }

  /** In English, the elements' `mp:nameEn` labels are drawn instead of their Chinese names. */
  async show(xml: string, lang: 'zh-CN' | 'en' = 'zh-CN'): Promise<void> {
    await this.viewer.importXML(lang === 'en' ? withEnglishNames(xml) : xml);
    this.drawn = [];
    this.frame();
  }

  /** Steps to keep in view on a narrow screen, where the whole flowchart would be too small to read. */
  focusOn(ids: string[]): void {
    const changed = ids.join() !== this.focusIds.join();
    this.focusIds = ids;
    if (changed && !this.userZoomed) this.frame();
  }

  /** The whole chart in the box, whatever the screen (the reader asked for it). */
  fit(): void {
    this.userZoomed = true;
    this.canvas().zoom('fit-viewport', 'auto');
  }

  private frame(): void {
    const canvas = this.canvas();
    canvas.zoom('fit-viewport', 'auto');
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    const targets = this.focusIds.filter((id) => registry.get(id) !== undefined);
    if (this.container.clientWidth >= 700 || targets.length === 0 || canvas.zoom() >= READABLE_ZOOM) return;
    // centre the current steps at a zoom where their names can be read
    const shapes = targets.map((id) => registry.get(id) as Box);
    const left = Math.min(...shapes.map((b) => b.x));
    const top = Math.min(...shapes.map((b) => b.y));
    const right = Math.max(...shapes.map((b) => b.x + b.width));
    const bottom = Math.max(...shapes.map((b) => b.y + b.height));
    const { outer } = canvas.viewbox();
    const width = outer.width / READABLE_ZOOM;
    const height = outer.height / READABLE_ZOOM;
    canvas.viewbox({ x: (left + right) / 2 - width / 2, y: (top + bottom) / 2 - height / 2, width, height });
  }

  zoomBy(factor: number): void {
    this.userZoomed = true;
    const canvas = this.canvas();
    canvas.zoom(canvas.zoom() * factor, 'auto');
  }

  /** Markers whose element is not in this diagram are skipped (a step id the drawing lacks). */
  setMarkers(wanted: Marker[]): void {
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    const present = wanted.filter((m) => registry.get(m.id) !== undefined);
    const { add, remove } = markerDiff(this.drawn, present);
    const canvas = this.canvas();
    for (const m of remove) canvas.removeMarker(m.id, m.cls);
    for (const m of add) canvas.addMarker(m.id, m.cls);
    this.drawn = present;
  }

  setBadges(badges: Badge[]): void {
    const overlays = this.viewer.get<Overlays>('overlays');
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    overlays.remove({ type: 'step-badge' });
    for (const badge of badges) {
      if (registry.get(badge.id) === undefined) continue;
      overlays.add(badge.id, 'step-badge', {
        position: { bottom: 6, left: -6 },
        html: h('div', { class: `step-badge step-badge--${badge.tone}`, 'data-step': badge.id }, badge.text),
      });
    }
  }

  /** Documentation of the process and of each element, for the catalog's "basis" column. */
  documentation(): { process?: string; elements: Record<string, string> } {
    const definitions = (this.viewer as unknown as { getDefinitions(): ModdleElement | undefined }).getDefinitions();
    const process = definitions?.rootElements?.find((e) => e.$type === 'bpmn:Process');
    const text = (e: ModdleElement | undefined): string | undefined =>
      e?.documentation
        ?.map((d) => d.text ?? '')
        .join('\n')
        .trim() || undefined;
    const elements: Record<string, string> = {};
    for (const e of process?.flowElements ?? []) {
      const doc = text(e);
      if (e.id && doc) elements[e.id] = doc;
    }
    const processDoc = text(process);
    return { ...(processDoc ? { process: processDoc } : {}), elements };
  }

  destroy(): void {
    this.stopTouch();
    this.resize.disconnect();
    this.viewer.destroy();
  }

  private canvas(): Canvas {
    return this.viewer.get<Canvas>('canvas');
  }
}
