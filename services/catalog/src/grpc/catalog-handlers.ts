import type { CatalogServiceServer } from '@credit/contracts/credit/catalog/v1/catalog.js';
import type { HandlerKit } from '@credit/platform';
import type { Catalog } from '../app/catalog.js';
import { category, itemState } from './enums.js';
import { fromItemInput, toImportResponse, toItemMessage, toPublishedMessage, toVersionMessage } from './messages.js';

export function catalogHandlers(kit: HandlerKit, catalog: Catalog): CatalogServiceServer {
  return {
    createItem: kit.unary(async (req, ctx) => ({ item: toItemMessage(await catalog.createItem(ctx.caller, req.requestId, fromItemInput(req.item))) })),
    updateItem: kit.unary(async (req, ctx) => ({ item: toItemMessage(await catalog.updateItem(ctx.caller, req.requestId, fromItemInput(req.item))) })),
    getItem: kit.unary(async (req) => ({ item: toItemMessage(await catalog.getItem(req.code)) })),
    listItems: kit.unary(async (req) => {
      const page = await catalog.listItems(
        {
          ownerDepartment: req.ownerDepartment.trim() || undefined,
          state: itemState.fromProto(req.state),
          category: category.fromProto(req.category),
        },
        req.page?.pageSize ?? 0,
        req.page?.pageToken ?? '',
      );
      return { items: page.items.map(toItemMessage), page: { nextPageToken: page.nextPageToken } };
    }),
    importResponsibilityList: kit.unary(async (req, ctx) =>
      toImportResponse(await catalog.importResponsibilityList(ctx.caller, req.requestId, req.csv)),
    ),
    submitItem: kit.unary(async (req, ctx) => ({ item: toItemMessage(await catalog.submitItem(ctx.caller, req.requestId, req.code)) })),
    confirmItem: kit.unary(async (req, ctx) => ({ item: toItemMessage(await catalog.confirmItem(ctx.caller, req.requestId, req.code)) })),
    returnItem: kit.unary(async (req, ctx) => ({ item: toItemMessage(await catalog.returnItem(ctx.caller, req.requestId, req.code, req.reason)) })),
    publishVersion: kit.unary(async (req, ctx) => ({ version: toVersionMessage(await catalog.publishVersion(ctx.caller, req.requestId, req.label)) })),
    // The published catalog is public information (公共信用信息目录): anyone may read it.
    getPublishedCatalog: kit.unary(
      async (req) => {
        const published = await catalog.publishedCatalog(req.version);
        return { version: toVersionMessage(published.version), items: published.items.map(toPublishedMessage) };
      },
      { public: true },
    ),
  };
}
