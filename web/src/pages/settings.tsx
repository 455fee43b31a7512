// /settings: the server's state and recognition models (with training and its
// progress), and, for admins, the API keys.
import { useState, type ReactElement } from 'react';
import { QueryView } from '../components/query-view';
import { Button, ErrorNotice, Notice, PageHeader, Stat } from '../components/ui';
import { ServerSummaryDocument, TrainingFeedDocument, TrainNowDocument, type TrainingFeedSubscription } from '../gql/graphql';
import { formatDateTime } from '../lib/format';
import { useMutation, useQuery, useSubscription } from '../lib/hooks';
import { useCan } from '../lib/session';
import { ApiKeys } from './settings/api-keys';

const methodName: Record<string, string> = { svm: 'Classifier (SVM)', cosine: 'Similarity only', none: 'No face engine' };

export function SettingsPage(): ReactElement {
  const can = useCan();
  const summary = useQuery(ServerSummaryDocument, {}, { skip: !can('system:read') });
  const train = useMutation(TrainNowDocument);
  const [progress, setProgress] = useState<TrainingFeedSubscription['trainingProgress']>();
  const [trained, setTrained] = useState<string>();
  useSubscription(TrainingFeedDocument, {}, (d) => setProgress(d.trainingProgress), { skip: !can('classifier:train') });

  const runTraining = async (): Promise<void> => {
    setTrained(undefined);
    const r = await train.run({});
    if (r !== undefined) {
      const t = r.trainModel;
      setTrained(
        t.status === 'trained'
          ? `Trained on ${t.employeeCount} people (${t.templateCount} templates) in ${((t.trainingMs ?? 0) / 1000).toFixed(1)} s${t.cvAccuracy === null ? '' : `, cross-validated accuracy ${Math.round(t.cvAccuracy * 100)}%`}.`
          : `Not trained: ${t.reason === 'fewer_than_two_employees' ? 'it needs at least two enrolled people' : (t.reason ?? 'nothing changed')}.`,
      );
      summary.refetch();
    }
  };

  const running = train.loading && progress !== undefined && progress.status !== 'finished' && progress.status !== 'failed';
  return (
    <>
      <PageHeader title="Settings" description="The server, its recognition models and who may use it." />
      {can('system:read') ? (
        <section aria-labelledby="server-title">
          <h2 id="server-title" style={{ marginBottom: '0.75rem' }}>
            Server
          </h2>
          <QueryView query={summary} data={summary.data} what="the server status">
            {(s) => (
              <div className="stats">
                <Stat label="Status" value={s.systemStatus.status} tone={s.systemStatus.status === 'healthy' ? 'good' : 'bad'} detail={`database ${s.systemStatus.database}`} />
                <Stat label="Employees" value={s.systemStatus.counts.activeEmployees} detail={`${s.systemStatus.counts.employees} in total`} />
                <Stat label="Face templates" value={s.systemStatus.counts.faceTemplates} />
                <Stat label="Recognition" value={methodName[s.recognitionModels.method] ?? s.recognitionModels.method} detail={s.recognitionModels.trainedAt === null ? 'never trained' : `trained ${formatDateTime(s.recognitionModels.trainedAt)}`} />
              </div>
            )}
          </QueryView>
          {can('classifier:train') ? (
            <div className="row section" style={{ marginTop: '1rem' }}>
              <Button icon="refresh" busy={train.loading} onClick={() => void runTraining()}>
                Train the classifier now
              </Button>
              {train.loading ? (
                <span className="muted" role="status">
                  {running && progress !== undefined ? `${progress.phase ?? 'working'}: ${progress.done}/${progress.total}` : 'Training…'}
                </span>
              ) : null}
            </div>
          ) : null}
          {trained === undefined ? null : <Notice tone="success">{trained}</Notice>}
          <ErrorNotice error={train.error} />
        </section>
      ) : null}
      {can('api-keys:manage') ? (
        <section className="section" aria-labelledby="keys-title">
          <h2 id="keys-title">API keys</h2>
          <ApiKeys />
        </section>
      ) : null}
    </>
  );
}
