'use client';

import { errorKindMessage } from './connection-result';
import {
  serverNameSchema,
  serverUrlSchema,
  tlsTrustSchema,
  tokenIdSchema,
  tokenSecretSchema,
  type ConnectionTest,
  type Server,
  type UpdateServerBody,
} from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldName, isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import {
  connectionTestOf,
  createServer,
  probeServer,
  testConnection,
  testSavedServer,
  updateServer,
  type PresentedCertificate,
} from '@/lib/api/servers';
import { describeError } from '@/lib/errors/describe';
import type { FieldErrors } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';

export type ServerFormField = 'name' | 'url' | 'tokenId' | 'tokenSecret' | 'caPem' | 'trust';
export type ServerFormValues = Record<'name' | 'url' | 'tokenId' | 'tokenSecret' | 'caPem', string>;

export interface ProbeState {
  url: string;
  certificate: PresentedCertificate;
  fetchedAt: number;
}

/** A failure shown above the buttons: what went wrong, and the server's own words for the details. */
export interface FormNotice {
  title: string;
  detail?: string;
}

interface Tls {
  fingerprint?: string;
  caPem?: string;
}

const normalizedUrl = (url: string): string | null => {
  const parsed = serverUrlSchema.safeParse(url);
  return parsed.success ? parsed.data : null;
};

/** "pve1.example.edu:8006" → "https://pve1.example.edu:8006": the API only speaks https. */
export function withScheme(url: string): string {
  const trimmed = url.trim();
  return trimmed && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? `https://${trimmed}` : trimmed;
}

/**
 * The state of the add and edit dialogs: the fields, the certificate the
 * admin fetched and confirmed, and the last connection test, which only
 * counts while the settings it tested are unchanged.
 */
export function useServerForm(server?: Server) {
  const { t, dict } = useI18n();
  const queryClient = useQueryClient();
  const editing = server !== undefined;
  const [values, setValues] = useState<ServerFormValues>({
    name: server?.name ?? '',
    url: server?.url ?? '',
    tokenId: server?.tokenId ?? '',
    tokenSecret: '',
    caPem: server?.tls.caPem ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors<ServerFormField>>({});
  const [probe, setProbe] = useState<ProbeState | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [test, setTest] = useState<{ key: string; result: ConnectionTest } | null>(null);
  const [notice, setNotice] = useState<FormNotice | null>(null);

  const url = normalizedUrl(values.url);
  const probeIsCurrent = probe !== null && probe.url === url;
  const urlUnchanged = editing && url === server.url;
  const caPem = values.caPem.trim() || undefined;
  const caValid = caPem !== undefined && tlsTrustSchema.safeParse({ caPem }).success;
  const fingerprint = pinnedFingerprint();
  const tls: Tls = { ...(fingerprint ? { fingerprint } : {}), ...(caValid ? { caPem } : {}) };
  const trusted = Boolean(tls.fingerprint || tls.caPem);
  const connectionKey = JSON.stringify([url, values.tokenId.trim(), values.tokenSecret.trim(), tls]);
  const currentTest = test && test.key === connectionKey ? test.result : null;
  const staleTest = test !== null && test.key !== connectionKey;

  function pinnedFingerprint(): string | undefined {
    if (probeIsCurrent) {
      if (confirmed) return probe.certificate.fingerprint256;
      // A certificate fetched but not confirmed replaces nothing, and a different one blocks until it is confirmed…
      if (probe.certificate.fingerprint256 !== server?.tls.fingerprint) return undefined;
    }
    // …while an edit keeps the pin it had, as long as the address stays the same.
    return urlUnchanged ? (server.tls.fingerprint ?? undefined) : undefined;
  }

  const tlsChanged =
    editing &&
    ((tls.fingerprint ?? null) !== server.tls.fingerprint ||
      (tls.caPem ?? null) !== (server.tls.caPem?.trim() || null));
  const connectionChanged =
    editing &&
    (!urlUnchanged || values.tokenId.trim() !== server.tokenId || values.tokenSecret.trim() !== '' || tlsChanged);

  function fieldError(field: ServerFormField): string | undefined {
    switch (field) {
      case 'name': {
        if (!values.name.trim()) return t('validation.required');
        return serverNameSchema.safeParse(values.name).success ? undefined : t('validation.maxChars', { max: 80 });
      }
      case 'url':
        if (!values.url.trim()) return t('validation.required');
        return url ? undefined : t('servers.form.urlInvalid');
      case 'tokenId':
        if (!values.tokenId.trim()) return t('validation.required');
        return tokenIdSchema.safeParse(values.tokenId).success ? undefined : t('servers.form.tokenIdInvalid');
      case 'tokenSecret':
        if (!values.tokenSecret.trim()) return editing ? undefined : t('validation.required');
        return tokenSecretSchema.safeParse(values.tokenSecret).success ? undefined : t('servers.form.tokenSecretShort');
      case 'caPem':
        return caPem === undefined || caValid ? undefined : t('servers.ca.invalid');
      case 'trust':
        if (trusted) return undefined;
        if (probeIsCurrent) return t('servers.certificate.confirmRequired');
        if (probe !== null || (editing && !urlUnchanged)) return t('servers.certificate.urlChanged');
        return t('servers.certificate.fetchRequired');
    }
  }

  /** Checks the named fields; shows and returns whether they are all fine. */
  function check(fields: ServerFormField[]): boolean {
    const found: FieldErrors<ServerFormField> = {};
    for (const field of fields) {
      const message = fieldError(field);
      if (message) found[field] = message;
    }
    setErrors((prev) => {
      const next = { ...prev };
      for (const field of fields) next[field] = found[field];
      return next;
    });
    return Object.keys(found).length === 0;
  }

  function setField(field: keyof ServerFormValues, value: string) {
    setValues((prev) => ({ ...prev, [field]: value }));
    setErrors((prev) => ({
      ...prev,
      [field]: undefined,
      ...(field === 'url' || field === 'caPem' ? { trust: undefined } : {}),
    }));
    setNotice(null);
  }

  function setConfirmedFingerprint(value: boolean) {
    setConfirmed(value);
    if (value) setErrors((prev) => ({ ...prev, trust: undefined }));
  }

  /** Server-side field errors (400, 409 NAME_TAKEN) next to their fields; anything else above the buttons. */
  function showError(err: unknown, fallback?: FormNotice) {
    if (isApiError(err)) {
      if (err.code === 'NAME_TAKEN') {
        setErrors((prev) => ({ ...prev, name: dict.errorCodes.NAME_TAKEN }));
        return 'name' as const;
      }
      if (err.fields.length > 0) {
        const found: FieldErrors<ServerFormField> = {};
        for (const { path, message } of err.fields) {
          const name = fieldName(path);
          const field: ServerFormField | undefined =
            name === 'fingerprint' || name === 'tls'
              ? 'trust'
              : (['name', 'url', 'tokenId', 'tokenSecret', 'caPem'] as const).find((f) => f === name);
          if (field) found[field] ??= message;
        }
        if (Object.keys(found).length > 0) {
          setErrors((prev) => ({ ...prev, ...found }));
          return Object.keys(found)[0] as ServerFormField;
        }
      }
    }
    setNotice(fallback ?? describeError(err, t, dict));
    return undefined;
  }

  const probeMutation = useMutation({
    mutationFn: probeServer,
    meta: { silent: true },
    onSuccess: (result) => {
      setProbe({ url: result.url, certificate: result.certificate, fetchedAt: Date.now() });
      setConfirmed(false);
      // The API answers with the address it normalised (no path, default port kept): show that one.
      setValues((prev) => ({ ...prev, url: result.url }));
      setErrors((prev) => ({ ...prev, url: undefined, trust: undefined }));
    },
    onError: (err) => {
      setProbe(null);
      showError(
        err,
        isApiError(err) && err.code === 'PROXMOX_CONNECTION_FAILED'
          ? {
              title: t('servers.form.probeFailed'),
              // The API says why (TLS, UNAVAILABLE, TIMEOUT…): the same plain words as the connection test.
              detail:
                typeof err.details?.kind === 'string'
                  ? `${t(errorKindMessage(err.details.kind))} ${err.message}`
                  : err.message,
            }
          : undefined,
      );
    },
  });

  function fetchCertificate() {
    setNotice(null);
    if (!check(['url']) || !url) return;
    probeMutation.mutate(url);
  }

  const testMutation = useMutation({
    mutationFn: async (key: string) => {
      // Without a new secret, the API tests the changes against the stored one, which it never hands back.
      const result =
        editing && values.tokenSecret.trim() === ''
          ? await testSavedServer(server.id, { url: url!, tokenId: values.tokenId.trim(), tls })
          : await testConnection({
              url: url!,
              tokenId: values.tokenId.trim(),
              tokenSecret: values.tokenSecret.trim(),
              tls,
            });
      return { key, result };
    },
    meta: { silent: true },
    onSuccess: (tested) => setTest(tested),
    onError: (err) => void showError(err),
  });

  function runTest(): ServerFormField | undefined {
    setNotice(null);
    const fields: ServerFormField[] = ['url', 'caPem', 'trust', 'tokenId', 'tokenSecret'];
    if (!check(fields)) return fields.find((f) => fieldError(f));
    testMutation.mutate(connectionKey);
    return undefined;
  }

  function patch(): UpdateServerBody {
    if (!server) return {};
    const body: UpdateServerBody = {};
    if (values.name.trim() !== server.name) body.name = values.name.trim();
    if (!urlUnchanged && url) body.url = url;
    if (values.tokenId.trim() !== server.tokenId) body.tokenId = values.tokenId.trim();
    if (values.tokenSecret.trim()) body.tokenSecret = values.tokenSecret.trim();
    if (tlsChanged) body.tls = tls;
    return body;
  }
  const changes = editing ? Object.keys(patch()).length : 0;

  const saveMutation = useMutation({
    mutationFn: () =>
      server
        ? updateServer(server.id, patch())
        : createServer({
            name: values.name.trim(),
            url: url!,
            tokenId: values.tokenId.trim(),
            tokenSecret: values.tokenSecret.trim(),
            tls,
          }),
    meta: { silent: true },
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.adminServer(saved.id), saved);
      // The list, this server's page and the audit log all changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });

  /** Saves; on failure, returns the field to bring the admin back to, if any. */
  async function save(): Promise<{ saved?: Server; field?: ServerFormField }> {
    setNotice(null);
    const fields: ServerFormField[] = ['name', 'url', 'caPem', 'trust', 'tokenId', 'tokenSecret'];
    if (!check(fields)) return { field: fields.find((f) => fieldError(f)) };
    try {
      return { saved: await saveMutation.mutateAsync() };
    } catch (err) {
      // A refused connection comes with the API's own test: the same panel as the Test button.
      const refused = connectionTestOf(err);
      if (refused) {
        setTest({ key: connectionKey, result: refused });
        return {};
      }
      return { field: showError(err) };
    }
  }

  return {
    editing,
    values,
    errors,
    notice,
    setField,
    check,
    url,
    probe: probeIsCurrent ? probe : null,
    staleProbe: probe !== null && !probeIsCurrent,
    confirmed,
    setConfirmed: setConfirmedFingerprint,
    fetchCertificate,
    fetching: probeMutation.isPending,
    tls,
    trusted,
    runTest,
    testing: testMutation.isPending,
    test: currentTest,
    staleTest,
    changes,
    connectionChanged,
    save,
    saving: saveMutation.isPending,
  };
}

export type ServerForm = ReturnType<typeof useServerForm>;
