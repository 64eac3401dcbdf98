/** A titled panel of the build page. */
export function Card({ title, extra, children }: { title: string; extra?: React.ReactNode; children: React.ReactNode }) {
  return (
    <section className="overflow-hidden rounded-md border border-zinc-200 bg-white">
      <div className="flex items-center gap-3 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5">
        <h2 className="text-xs font-semibold tracking-wide text-zinc-600 uppercase">{title}</h2>
        {extra && <div className="ml-auto">{extra}</div>}
      </div>
      {children}
    </section>
  );
}
