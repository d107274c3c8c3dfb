import { z } from 'zod';
import { LabelSchema } from '../../../common/graph';
import type { DirectoryPort } from '../../../common/directory';
import { defineRoute, type RouteDef } from '../../route';

const VillagesSchema = z.object({
  towns: z.array(z.object({ id: z.string(), name: LabelSchema })),
  villages: z.array(z.object({ id: z.string(), town: z.string(), name: LabelSchema })),
});

/** Towns and villages are public (the board needs them); people are not. */
export function villageRoutes(directory: DirectoryPort): RouteDef[] {
  return [
    defineRoute({
      method: 'get',
      path: '/villages',
      summary: 'Towns and villages of the district (public) / 乡镇与村',
      tags: ['villages'],
      auth: 'public',
      responses: { 200: { description: 'Towns and villages', schema: VillagesSchema } },
      handle: ({ res }) => {
        const d = directory.current();
        res.json({ towns: d.towns, villages: d.villages });
      },
    }),
  ];
}
