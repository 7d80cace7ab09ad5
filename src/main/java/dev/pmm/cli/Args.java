package dev.pmm.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code --name value} (or {@code --name=value}) options, {@code --flag}s and positional arguments, checked against what a command takes. */
final class Args {

  static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message);
    }
  }

  private final Map<String, String> options = new LinkedHashMap<>();
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
      String inline = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        inline = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if (flagNames.contains(name) && inline == null) {
        parsed.flags.add(name);
      } else if (optionNames.contains(name)) {
        if (inline == null && i + 1 >= args.length) {
          throw new Invalid("--" + name + " needs a value");
        }
        parsed.options.put(name, inline != null ? inline : args[++i]);
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

  /** The options given, in command-line order. */
  Map<String, String> options() {
    return options;
  }
}
