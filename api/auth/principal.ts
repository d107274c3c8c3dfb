import { ErrorCode } from '../../common/errors';
import type { Role } from '../../common/graph';
import { DISTRICT_ROLES, type Directory, type Grant } from '../../common/directory';
import { ApiError } from '../errors';

/** The signed-in user as the API sees them, read fresh from the directory on every request. */
export interface Principal {
  id: string;
  name: string;
  grants: Grant[];
}

export function principalFor(directory: Directory, userId: string): Principal | undefined {
  const user = directory.users.find((u) => u.id === userId);
  return user ? { id: user.id, name: user.name, grants: user.roles } : undefined;
}

const isDistrict = (g: Grant) => (DISTRICT_ROLES as readonly string[]).includes(g.role);

/**
 * The roles a user holds in a village: their roles there, a town official's in the villages of the
 * town, district roles everywhere (domain.md: "A person acts only in the villages where they hold a role").
 */
export function rolesIn(directory: Directory, principal: Principal | undefined, village: string): Role[] {
  if (!principal) return [];
  const town = directory.villages.find((v) => v.id === village)?.town;
  const roles = principal.grants
    .filter((g) => g.village === village || (town !== undefined && g.town === town) || isDistrict(g))
    .map((g) => g.role);
  return [...new Set(roles)];
}

/** Members of the village, officials of its town and district roles read a matter in full. */
export function seesFull(directory: Directory, principal: Principal | undefined, village: string): boolean {
  return rolesIn(directory, principal, village).length > 0;
}

/** The villages a user may act in (all of them for district roles). */
export function villagesOf(directory: Directory, principal: Principal): string[] {
  return directory.villages.filter((v) => rolesIn(directory, principal, v.id).length > 0).map((v) => v.id);
}

/** The signed-in user, or 401 (for handlers shared by public and member routes). */
export function signedIn(principal: Principal | undefined): Principal {
  if (!principal) throw new ApiError(401, ErrorCode.Unauthenticated, 'Please sign in first / 请先登录');
  return principal;
}
