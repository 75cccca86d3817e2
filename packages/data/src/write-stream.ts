import type { DatasetSink, DatasetSinkInfo, DatasetSinkResult, StepRecord } from '@twinforge/core';
import { isObservable, type Observable } from 'rxjs';

/**
 * Drains an Observable or (async) iterable of StepRecords into a sink: open, write each record, close. If the source
 * errors or a record is rejected, the sink is aborted (keeping only complete trajectories) and the error rethrown.
 */
export async function writeStream(
  sink: DatasetSink,
  info: DatasetSinkInfo,
  source: Observable<StepRecord> | AsyncIterable<StepRecord> | Iterable<StepRecord>,
): Promise<DatasetSinkResult> {
  await sink.open(info);
  try {
    if (isObservable(source)) {
      await new Promise<void>((resolve, reject) => {
        const subscription = source.subscribe({
          next: (record) => {
            try {
              sink.write(record);
            } catch (error) {
              subscription?.unsubscribe();
              reject(error);
            }
          },
          error: reject,
          complete: resolve,
        });
      });
    } else {
      for await (const record of source) sink.write(record);
    }
  } catch (error) {
    if (sink.abort) await sink.abort(error);
    throw error;
  }
  return sink.close();
}
