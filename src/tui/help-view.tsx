import { Box, Text } from 'ink';
import { padEnd } from '../util/width.js';
import { KEYS } from './keys.js';

export function HelpView({ width }: { width: number }): React.JSX.Element {
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Keys of the task list</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key} wrap="truncate-end">
          {`  ${padEnd(key, 12)}${what}`}
        </Text>
      ))}
      <Text dimColor>Every action is saved at once; u takes back the last one. Any key closes this help.</Text>
    </Box>
  );
}
