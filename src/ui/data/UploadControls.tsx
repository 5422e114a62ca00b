import { useState, type DragEvent } from 'react';
import { checkCompressedAudio } from '../../core/data/formats/compressedAudio';
import { MEDIA } from '../../core/data/formats/mediaPairs';
import type { UploadFile } from '../../core/data/formats/upload';
import { encodeWav } from '../../core/data/formats/wav';
import { formatBytes, LIMITS } from '../../core/data/limits';

interface Props {
  disabled: boolean;
  onFiles(files: UploadFile[], name: string): void;
}

/**
 * Files are only read here (File.arrayBuffer is asynchronous); parsing happens in the worker.
 * MP3 and OGG are the exception: only the page has the Web Audio decoder, so they are decoded
 * here (off the main thread inside the browser) and passed on as WAV under their own names.
 */
async function readFiles(list: File[]): Promise<UploadFile[]> {
  return Promise.all(
    list.map(async (f) => {
      const path = f.webkitRelativePath || f.name;
      const bytes = new Uint8Array(await f.arrayBuffer());
      return { path, bytes: /\.(mp3|ogg)$/i.test(path) ? await compressedAudioToWav(path, bytes) : bytes };
    }),
  );
}

/**
 * Files are sized before they are read, so an upload over the limit costs nothing: what a ZIP
 * holds, unzipped, is at least about as large as the ZIP.
 */
function oversized(list: File[]): string | null {
  const total = list.reduce((s, f) => s + f.size, 0);
  return total > LIMITS.totalBytes
    ? `the files are ${formatBytes(total)}, over the ${formatBytes(LIMITS.totalBytes)} limit (after unzipping)`
    : null;
}

async function compressedAudioToWav(path: string, bytes: Uint8Array): Promise<Uint8Array> {
  try {
    // Length and rate from the headers first: Web Audio decodes the whole file at once.
    checkCompressedAudio(path, bytes);
  } catch {
    return bytes; // the worker runs the same check and reports it, naming the file
  }
  try {
    const ctx = new OfflineAudioContext(1, MEDIA.sampleRate, MEDIA.sampleRate);
    const audio = await ctx.decodeAudioData(bytes.slice().buffer);
    return encodeWav(audio.getChannelData(0), audio.sampleRate);
  } catch {
    return bytes; // the worker reports it as undecodable, naming the file
  }
}

function uploadName(list: File[]): string {
  const first = list[0];
  const top = first?.webkitRelativePath?.split('/')[0];
  return top || (list.length === 1 ? first.name.replace(/\.zip$/i, '') : 'upload');
}

/** A drop zone, a file picker (ZIP or loose files) and a folder picker. */
export function UploadControls({ disabled, onFiles }: Props) {
  const [over, setOver] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const take = async (list: File[]) => {
    if (list.length === 0) return;
    setRefused(oversized(list));
    if (!oversized(list)) onFiles(await readFiles(list), uploadName(list));
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled) await take(await droppedFiles(e.dataTransfer));
  };
  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="dropzone"
    >
      <p>
        Drop a folder or a ZIP here: paired CSVs (one per modality + labels.csv), NumPy (.npy per modality +
        labels.npy), or &lt;class&gt;/&lt;id&gt; image and audio pairs.
      </p>
      <label className="file-button">
        Choose files or a ZIP
        <input
          type="file"
          multiple
          disabled={disabled}
          data-testid="upload-files"
          onChange={(e) => take([...(e.target.files ?? [])])}
        />
      </label>
      <label className="file-button">
        Choose a folder
        <input
          type="file"
          disabled={disabled}
          data-testid="upload-folder"
          {...{ webkitdirectory: '', directory: '' }}
          onChange={(e) => take([...(e.target.files ?? [])])}
        />
      </label>
      {refused && (
        <p className="message" role="alert" data-testid="upload-refused">
          Upload refused: {refused}. The current dataset is unchanged.
        </p>
      )}
    </div>
  );
}

/** Dropped items, folders walked recursively, with their relative paths. */
async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
  if (entries.length === 0) return [...dt.files];
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push(new File([file], file.name, { type: file.type }));
      Object.defineProperty(out[out.length - 1], 'webkitRelativePath', { value: `${prefix}${file.name}` });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}
