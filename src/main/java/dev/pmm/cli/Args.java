package dev.pmm.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} options, {@code --flag}s and positional arguments, checked against what a command takes. */
final class Args {

  static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  private final Map<String, String> options = new HashMap<>();
  private final Set<String> flags = new HashSet<>();
  private final List<String> positional = new ArrayList<>();

  static Args parse(String[] args, int from, List<String> optionNames, List<String> flagNames) {
    Args parsed = new Args();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        parsed.positional.add(arg);
        continue;
      }
      String name = arg.substring(2);
      if (flagNames.contains(name)) {
        parsed.flags.add(name);
      } else if (optionNames.contains(name)) {
        if (i + 1 >= args.length) {
          throw new Invalid("--" + name + " needs a value");
        }
        parsed.options.put(name, args[++i]);
      } else {
        throw new Invalid("unknown option: " + arg);
      }
    }
    return parsed;
  }

  Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  List<String> positional() {
    return positional;
  }

  static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new Invalid("--port must be a number from 0 to 65535, got " + value);
    }
  }
}
