// The composer's second drop zone, "Last frame" (issue 15 §5): shown only when the chosen model's
// card takes one; the image is checked like the first frame before it is kept, and sent as `last_frame`.
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { checkImageFile } from '../lib/image-check';

export function LastFrameDrop({ file, onChange, onError }: { file: File | null; onChange: (file: File | null) => void; onError: (message: string | null) => void }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = async (next: File | null) => {
    onError(null);
    if (!next) return onChange(null);
    const problem = await checkImageFile(next);
    if (problem) {
      if (input.current) input.current.value = '';
      onChange(null);
      onError(problem);
    } else onChange(next);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) void choose(dropped);
  };

  return (
    <div className={`drop ${dragging ? 'over' : ''}`} onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      {preview ? (
        <>
          <img src={preview} alt="Last frame you chose" />
          <span>{file?.name}</span>
          <button type="button" onClick={() => { onChange(null); if (input.current) input.current.value = ''; }}>Remove last frame</button>
        </>
      ) : (
        <label htmlFor={`${id}-last`}>Last frame: drop an image for the video to end on, or <span className="linklike">choose a file</span> <span className="optional">(optional)</span></label>
      )}
      <input id={`${id}-last`} ref={input} className="sr-only" type="file" accept="image/png,image/jpeg,image/webp" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
    </div>
  );
}
