// Who is signed in: asked once when the page loads, and again after signing in.
export const VIEWER = `
  query Viewer {
    viewer { id name role email organisation { id name kind } }
  }`;

/** Leads and staff write; members only read. */
export function canWrite(viewer) {
  return viewer?.role === 'LEAD' || viewer?.role === 'STAFF';
}

/** Whether the viewer may change this project: staff, or a lead of its lead or a partner organisation. */
export function canWriteProject(viewer, project) {
  if (viewer?.role === 'STAFF') return true;
  if (viewer?.role !== 'LEAD' || !project) return false;
  const org = viewer.organisation.id;
  return project.leadOrganisation?.id === org || (project.partners ?? []).some((p) => p.id === org);
}
