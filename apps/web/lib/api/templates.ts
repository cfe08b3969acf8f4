import {
  paths,
  proxmoxTemplateListSchema,
  templateListSchema,
  templateSchema,
  type CreateTemplateBody,
  type ProxmoxTemplateList,
  type Template,
  type UpdateTemplateBody,
} from '@uni-manager/contracts';
import { apiRequest } from './http';

// The catalog (GET /templates, GET /templates/:id) is in ./catalog, shared with the VM pages.

export async function fetchTemplates(signal?: AbortSignal): Promise<Template[]> {
  const { items } = await apiRequest(paths.adminTemplates, { schema: templateListSchema, signal });
  return items;
}

export function fetchTemplate(id: string, signal?: AbortSignal): Promise<Template> {
  return apiRequest(paths.adminTemplate, { params: { id }, schema: templateSchema, signal });
}

/** Proxmox confirms every source before the template is saved (TEMPLATE_SOURCE_INVALID otherwise). */
export function createTemplate(body: CreateTemplateBody): Promise<Template> {
  return apiRequest(paths.adminTemplates, { method: 'POST', body, schema: templateSchema });
}

/** A full replacement of the settings: send them all. */
export function updateTemplate(id: string, body: UpdateTemplateBody): Promise<Template> {
  return apiRequest(paths.adminTemplate, { method: 'PUT', params: { id }, body, schema: templateSchema });
}

/** Refused with TEMPLATE_IN_USE while VMs made from it still exist. */
export function deleteTemplate(id: string): Promise<void> {
  return apiRequest(paths.adminTemplate, { method: 'DELETE', params: { id } });
}

/** The template VMs of a Proxmox server and the storages of its nodes, for the source picker. */
export function fetchServerProxmoxTemplates(serverId: string, signal?: AbortSignal): Promise<ProxmoxTemplateList> {
  return apiRequest(paths.adminServerTemplates, {
    params: { id: serverId },
    schema: proxmoxTemplateListSchema,
    signal,
  });
}

/** A saved template as the body that would save it again: the start of every change. */
export function templateBody(t: Template): UpdateTemplateBody {
  return {
    name: t.name,
    description: t.description,
    osLabel: t.osLabel,
    osIcon: t.osIcon,
    defaults: t.defaults,
    bounds: t.bounds,
    cloudInit: t.cloudInit,
    priceRunningPerHour: t.priceRunningPerHour,
    priceStoppedPerHour: t.priceStoppedPerHour,
    unitPrices: t.unitPrices,
    visibility: t.visibility,
    sources: t.sources.map((s) => ({
      serverId: s.serverId,
      node: s.node,
      vmid: s.vmid,
      storage: s.storage,
      cloneMode: s.cloneMode,
    })),
  };
}
