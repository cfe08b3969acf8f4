/**
 * What the console shows: a text-mode screen with the VM's identity (name, VMID, node), its state,
 * uptime and the time, and a login prompt that echoes what the user types — enough for a person
 * looking at noVNC to see it is connected to the right VM and that it is alive.
 */
import { Framebuffer, type Rgb } from './framebuffer.js';

export interface ScreenInfo {
  vmid: number;
  name: string;
  node: string;
  status: string;
  uptimeSeconds: number;
  cpus: number;
  memoryMiB: number;
  ostype?: string;
  now: number;
}

const BG: Rgb = [12, 12, 12];
const FG: Rgb = [204, 204, 204];
const DIM: Rgb = [120, 120, 120];
const BAR: Rgb = [229, 112, 0];
const BAR_FG: Rgb = [255, 255, 255];
const OK: Rgb = [80, 200, 120];

const SCALE = 2;
const LINE = 9 * SCALE;
const MARGIN = 16;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${d}d ${pad(h)}:${pad(m)}:${pad(seconds % 60)}`;
}

function clock(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

export class ConsoleScreen {
  private typed = '';
  private readonly history: string[] = [];
  private stage: 'login' | 'password' = 'login';

  constructor(
    readonly width: number,
    readonly height: number,
  ) {}

  /** A key press (X11 keysym) from the client. */
  key(keysym: number, down: boolean): void {
    if (!down) return;
    if (keysym >= 0x20 && keysym <= 0x7e) {
      if (this.typed.length < 60) this.typed += String.fromCharCode(keysym);
    } else if (keysym === 0xff08) {
      this.typed = this.typed.slice(0, -1);
    } else if (keysym === 0xff0d || keysym === 0xff8d) {
      if (this.stage === 'login') {
        this.history.push(`login: ${this.typed}`);
        this.stage = 'password';
      } else {
        this.history.push('Password:', '', 'Login incorrect');
        this.stage = 'login';
      }
      this.typed = '';
      while (this.history.length > 12) this.history.shift();
    }
  }

  render(info: ScreenInfo, blink: boolean): Framebuffer {
    const fb = new Framebuffer(this.width, this.height);
    fb.fill({ x: 0, y: 0, w: this.width, h: this.height }, BG);
    fb.fill({ x: 0, y: 0, w: this.width, h: LINE + 12 }, BAR);
    fb.text(MARGIN, 8, `VM ${info.vmid} (${info.name}) on node ${info.node}`, BAR_FG, SCALE);
    const right = clock(info.now);
    fb.text(this.width - MARGIN - Framebuffer.textWidth(right, SCALE), 8, right, BAR_FG, SCALE);

    let y = LINE + 32;
    const line = (text: string, color: Rgb = FG) => {
      fb.text(MARGIN, y, text, color, SCALE);
      y += LINE + 4;
    };
    line('Uni-Manager Proxmox VE simulator - virtual console', DIM);
    y += 8;
    line(`Name:    ${info.name}`);
    line(`VMID:    ${info.vmid}`);
    line(`Node:    ${info.node}`);
    fb.text(MARGIN, y, 'Status:  ', FG, SCALE);
    fb.text(
      MARGIN + Framebuffer.textWidth('Status:  ', SCALE),
      y,
      info.status,
      info.status === 'running' ? OK : BAR,
      SCALE,
    );
    y += LINE + 4;
    line(`Uptime:  ${formatUptime(info.uptimeSeconds)}`);
    line(`CPUs:    ${info.cpus}    Memory: ${info.memoryMiB} MiB`);
    y += LINE;
    line(`${info.name} tty1`, DIM);
    y += 8;
    for (const h of this.history) line(h);
    const prompt = this.stage === 'login' ? `${info.name} login: ` : 'Password: ';
    const shown = this.stage === 'login' ? this.typed : '';
    const w = fb.text(MARGIN, y, prompt + shown, FG, SCALE);
    if (blink) fb.fill({ x: MARGIN + w, y: y + 6 * SCALE, w: 5 * SCALE, h: SCALE }, FG);
    return fb;
  }
}
