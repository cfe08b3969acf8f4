/** Pretty-printed JSON, scrollable so a large payload never stretches the page. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <figure className="min-w-0 space-y-1.5">
      <figcaption className="text-xs font-medium text-muted-foreground">{label}</figcaption>
      <pre className="max-h-72 overflow-auto rounded-md border bg-background/70 p-3 font-mono text-xs leading-relaxed">
        {JSON.stringify(value, null, 2)}
      </pre>
    </figure>
  );
}
