import { catalogListSchema, catalogTemplateSchema, paths, type CatalogTemplate } from '@uni-manager/contracts';
import { apiRequest } from './http';

/** The templates the caller may create a VM from, with their prices and bounds. */
export async function fetchCatalog(signal?: AbortSignal): Promise<CatalogTemplate[]> {
  const { items } = await apiRequest(paths.templates, { schema: catalogListSchema, signal });
  return items;
}

export function fetchCatalogTemplate(id: string, signal?: AbortSignal): Promise<CatalogTemplate> {
  return apiRequest(paths.template, { params: { id }, schema: catalogTemplateSchema, signal });
}
