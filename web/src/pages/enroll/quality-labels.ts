// The server's quality reasons and rejections, in words for the person enrolling.
export const reasonLabel: Record<string, string> = {
  blur: 'Blurry',
  too_dark: 'Too dark',
  too_bright: 'Too bright',
  too_small: 'Too far away',
  occluded: 'Face covered',
  extreme_pose: 'Turned too far',
  cut_off: 'Face at the edge',
  no_face: 'No face',
  multiple_faces: 'More than one face',
  between_sectors: 'Keep turning',
  different_person: 'Someone else',
  invalid_image: 'Unreadable picture',
  low_quality: 'Low quality',
};

export const sectorLabel: Record<string, string> = {
  centre: 'straight ahead',
  left: 'left',
  'up-left': 'up and left',
  up: 'up',
  'up-right': 'up and right',
  right: 'right',
  'down-right': 'down and right',
  down: 'down',
  'down-left': 'down and left',
};
