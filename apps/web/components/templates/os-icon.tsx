import type { OsIcon as OsIconName } from '@uni-manager/contracts';
import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

/**
 * Simple glyphs drawn for this product, in each system's usual colour, so a
 * template is recognised at a glance. They are sketches, not the projects' logos.
 */
const WHITE = '#ffffff';

interface Glyph {
  color: string;
  /** A fixed tile colour, for glyphs whose own colours need a light background in both themes. */
  tile?: string;
  draw: ReactNode;
}

const glyphs: Record<OsIconName, Glyph> = {
  ubuntu: {
    color: '#E95420',
    draw: (
      <>
        <circle cx="12" cy="12" r="5.3" fill="none" stroke="currentColor" strokeWidth="2.2" />
        <circle cx="19.4" cy="12" r="2.2" fill="currentColor" />
        <circle cx="8.3" cy="18.4" r="2.2" fill="currentColor" />
        <circle cx="8.3" cy="5.6" r="2.2" fill="currentColor" />
      </>
    ),
  },
  debian: {
    color: '#E0245E',
    draw: (
      <g fill="none" stroke="currentColor" strokeLinecap="round">
        <path d="M16.2 5.9a7.3 7.3 0 1 0 2.4 8.4" strokeWidth="2.3" />
        <path d="M15.3 13a3.5 3.5 0 1 1-1.9-3.9" strokeWidth="2" />
      </g>
    ),
  },
  fedora: {
    color: '#3C6EB4',
    draw: (
      <>
        <circle cx="12" cy="12" r="9" fill="currentColor" />
        <path
          d="M14.8 7.3h-1.4a2.3 2.3 0 0 0-2.3 2.3v8.2M8.4 11.8h5.5"
          fill="none"
          stroke={WHITE}
          strokeWidth="2"
          strokeLinecap="round"
        />
      </>
    ),
  },
  rocky: {
    color: '#10B981',
    draw: (
      <>
        <circle cx="12" cy="12" r="9" fill="currentColor" />
        <path
          d="m5.3 15.6 4.4-4.7 2.8 2.8 2.2-2.2 4.1 4"
          fill="none"
          stroke={WHITE}
          strokeWidth="1.9"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </>
    ),
  },
  alma: {
    color: '#0EA5E9',
    draw: (
      <>
        <circle cx="12" cy="5.8" r="2.8" fill="#F43F5E" />
        <circle cx="17.9" cy="10.1" r="2.8" fill="#F59E0B" />
        <circle cx="15.6" cy="17" r="2.8" fill="#84CC16" />
        <circle cx="8.4" cy="17" r="2.8" fill="#0EA5E9" />
        <circle cx="6.1" cy="10.1" r="2.8" fill="#6366F1" />
      </>
    ),
  },
  centos: {
    color: '#A23E8C',
    draw: (
      <g transform="rotate(45 12 12)">
        <rect x="5.2" y="5.2" width="6.2" height="6.2" rx="0.8" fill="#EFA724" />
        <rect x="12.6" y="5.2" width="6.2" height="6.2" rx="0.8" fill="#9CCD2A" />
        <rect x="12.6" y="12.6" width="6.2" height="6.2" rx="0.8" fill="#5B5BD6" />
        <rect x="5.2" y="12.6" width="6.2" height="6.2" rx="0.8" fill="#A23E8C" />
      </g>
    ),
  },
  arch: {
    color: '#1793D1',
    draw: (
      <path
        d="M12 3 3.6 20.8c2.9-1.9 4.9-2.7 6.5-2.9-.2-2.2.7-4 1.9-4s2.1 1.8 1.9 4c1.6.2 3.6 1 6.5 2.9Z"
        fill="currentColor"
      />
    ),
  },
  opensuse: {
    color: '#73BA25',
    draw: (
      <>
        <path
          d="M3.5 16.5c0-5 3.8-8.5 8.7-8.5 4.1 0 7.2 2.4 8.3 6.3-2.5 2-5.6 3-9.2 3-2.9 0-5.5-.3-7.8-.8Z"
          fill="currentColor"
        />
        <circle cx="15.8" cy="11.6" r="2.2" fill={WHITE} />
        <circle cx="16.3" cy="11.6" r="1" fill="currentColor" />
      </>
    ),
  },
  freebsd: {
    color: '#C0392B',
    draw: (
      <>
        <circle cx="12" cy="13.2" r="7.3" fill="currentColor" />
        <path d="M6.6 8.2 4.2 3.4l5 2.3ZM17.4 8.2l2.4-4.8-5 2.3Z" fill="currentColor" />
      </>
    ),
  },
  windows: {
    color: '#0078D4',
    draw: (
      <g fill="currentColor">
        <rect x="3.5" y="3.5" width="8" height="8" rx="0.6" />
        <rect x="12.5" y="3.5" width="8" height="8" rx="0.6" />
        <rect x="3.5" y="12.5" width="8" height="8" rx="0.6" />
        <rect x="12.5" y="12.5" width="8" height="8" rx="0.6" />
      </g>
    ),
  },
  linux: {
    color: '#1F2937',
    tile: '#FDE68A',
    draw: (
      <>
        <ellipse cx="12" cy="14.6" rx="6" ry="6.6" fill="#1F2937" />
        <circle cx="12" cy="7.2" r="4.2" fill="#1F2937" />
        <ellipse cx="12" cy="15.4" rx="3.9" ry="4.9" fill={WHITE} />
        <circle cx="10.5" cy="6.6" r="0.9" fill={WHITE} />
        <circle cx="13.5" cy="6.6" r="0.9" fill={WHITE} />
        <path d="M10.6 8.6h2.8L12 10.1Z" fill="#F59E0B" />
        <ellipse cx="8.6" cy="20.9" rx="2.3" ry="1.1" fill="#F59E0B" />
        <ellipse cx="15.4" cy="20.9" rx="2.3" ry="1.1" fill="#F59E0B" />
      </>
    ),
  },
  generic: {
    color: '#64748B',
    draw: (
      <g fill="none" stroke="currentColor" strokeWidth="1.9">
        <rect x="3.5" y="4.5" width="17" height="12" rx="1.8" />
        <path d="M9 20h6M12 16.5V20" strokeLinecap="round" />
      </g>
    ),
  },
};

const sizes = { sm: 'size-8 [&_svg]:size-5', md: 'size-10 [&_svg]:size-6', lg: 'size-12 [&_svg]:size-7' } as const;

interface OsIconProps {
  icon: OsIconName;
  size?: keyof typeof sizes;
  /** Read out by screen readers; leave out when the system's name is written next to it. */
  label?: string;
  className?: string;
}

export function OsIcon({ icon, size = 'md', label, className }: OsIconProps) {
  const glyph = glyphs[icon] ?? glyphs.generic;
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center justify-center rounded-lg border border-black/5',
        sizes[size],
        className,
      )}
      style={{
        color: glyph.color,
        backgroundColor: glyph.tile ?? `color-mix(in oklab, ${glyph.color} 16%, transparent)`,
      }}
      data-os-icon={icon}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    >
      <svg viewBox="0 0 24 24" xmlns="http://www.w3.org/2000/svg" focusable="false">
        {glyph.draw}
      </svg>
    </span>
  );
}
