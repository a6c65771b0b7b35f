/** Stage `images`: node image recipes, the content-keyed rebuild plan, Packer builds, records and publishing. */
export { planImagesFor, type PlanImagesInput, type PlanImagesResult } from './plan-images.js';
export { planImages, chooseTarget, type StackImageNeed } from './plan.js';
export { buildImages, type BuildImagesInput, type BuildImagesDeps, type BuildImagesResult, type BuildTimings } from './build.js';
export { publishImages, imageManifest, IMAGE_MEDIA_TYPES, type PublishImagesInput, type PublishImagesResult } from './publish-image.js';
export { validateRecipes, type ValidateRecipesResult } from './validate-recipes.js';
export { checkStackRecipe, checkStackImages } from './check-stack.js';
export { debianMirrorFrom } from './base-image.js';
export { loadRecipe, listRecipes } from './recipe.js';
export { readImageRecords, writeImageRecord } from './records.js';
export { orcImage, imageManagerFile, cspoNodeImages, hcloudImage, imageSetFingerprint, downloadOf, type CloudCredentials } from './references.js';
export type * from './types.js';
export { stackImages, type StackImages, type ReleaseImageFiles } from './release-files.js';
