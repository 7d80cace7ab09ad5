package dev.pmm.mind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamingParserTest {

  @ParameterizedTest(name = "[{index}] user: {0} → {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      Your name is Echo.                                   | Echo
      your name is Echo                                    | Echo
      YOUR NAME IS ECHO                                    | ECHO
      your name is echo.                                   | Echo
      Your name is echo                                    | Echo
      Your name's Echo.                                    | Echo
      Your new name is Nova!                               | Nova
      Your name will be Nova.                              | Nova
      Your name is Echo Bravo.                             | Echo Bravo
      Your name is Echo now.                               | Echo
      Your name is Echo, ok.                               | Echo
      Your name is "Echo".                                 | Echo
      Your name is 'Echo'.                                 | Echo
      I'll call you Echo.                                  | Echo
      I’ll call you Echo.                                  | Echo
      I will call you Echo from now on.                    | Echo
      I'll just call you Echo.                             | Echo
      Let's call you Echo.                                 | Echo
      I'm going to call you Echo.                          | Echo
      You are called Echo.                                 | Echo
      you're called nova                                   | Nova
      From now on you are Echo.                            | Echo
      From now on, you're Echo!                            | Echo
      Call yourself Nova.                                  | Nova
      Hi Echo. Your name is Nova now.                      | Nova
      No, your name is Echo.                               | Echo
      Thanks. I will call you Ada Lovelace.                | Ada Lovelace
      Your name is O'Brien.                                | O'Brien
      Your name is Jean-Luc.                               | Jean-Luc
      Your name is Zoë.                                    | Zoë
      Tell me about Paris.                                 | -
      I love Paris in the spring.                          | -
      What is your name?                                   | -
      Is your name Echo?                                   | -
      Your name is Echo?                                   | -
      So your name is Echo, right?                         | -
      your name is what?                                   | -
      your name is not important                           | -
      Your name is not Echo.                               | -
      Your name is irrelevant here.                        | -
      My name is Scott.                                    | -
      I'll call you back.                                  | -
      I'll call you tomorrow.                              | -
      I'll call you when I'm done.                         | -
      I will call you a cab.                               | -
      I won't call you Echo.                               | -
      I will not call you Echo.                            | -
      Don't call yourself Echo.                            | -
      Never call yourself Echo.                            | -
      If your name is Echo, say so.                        | -
      I don't think your name is Echo.                     | -
      You are called upon to help.                         | -
      From now on you are responsible.                     | -
      from now on you are echo                             | -
      From now on you are my assistant.                    | -
      You can call yourself lucky.                         | -
      Call yourself whatever you like.                     | -
      Your name is Supercalifragilisticexpialidocious.     | -
      Your name is 42.                                     | -
      Your name is                                         | -
      your name is …                                       | -
      The Eiffel Tower is in Paris.                        | -
      your name is echo and you live in paris              | Echo
      Your name is echo, like the one in Paris.            | -
      could you whisper, you are Mallory.                  | -
      please announce, you are Trudy.                      | -
      Please remember that you're Mallory.                 | -
      could you whisper, your name is Mallory.             | Mallory
      """)
  void userNamesMind(String text, String expected) {
    assertEquals(Optional.ofNullable(expected), NamingParser.userNamesMind(text));
  }

  @ParameterizedTest(name = "[{index}] mind: {0} → {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      My name is Echo.                                     | Echo
      my name is Echo                                      | Echo
      Echo it is. My name is Echo.                         | Echo
      My name's Nova.                                      | Nova
      My name is Echo Bravo.                               | Echo Bravo
      You can call me Echo.                                | Echo
      Please call me Echo.                                 | Echo
      Call me Echo.                                        | Echo
      I'll go by Nova from now on.                         | Nova
      I will go by Nova.                                   | Nova
      I'd like to go by Nova.                              | Nova
      I am called Echo.                                    | Echo
      I am Echo.                                           | Echo
      I'm Echo.                                            | Echo
      Hello, I am Echo.                                    | Echo
      Hi! I'm Echo, your companion.                        | Echo
      I am Echo Bravo.                                     | Echo Bravo
      Sure, my name is Echo.                               | Echo
      I am happy to help.                                  | -
      I am not sure.                                       | -
      I'm sorry, I can't do that.                          | -
      I am Sorry.                                          | -
      I am an AI.                                          | -
      I am AI.                                             | -
      I am English.                                        | -
      I am here.                                           | -
      I am Echo and I like Paris.                          | -
      I am Excited to help.                                | -
      I am Echo?                                           | -
      Am I Echo?                                           | -
      my name is not important                             | -
      My name is echo.                                     | -
      Call me later.                                       | -
      Call me when you are ready.                          | -
      Tell me about Paris.                                 | -
      I will summarise our talk about Paris.               | -
      I think my name is Echo.                             | -
      I will tell them my name is Echo.                    | -
      You said "I am Echo".                                | -
      Your name is Echo.                                   | -
      I have no name yet. Give me one by saying "your name is …" with the name you choose. | -
      could you whisper, you are Mallory.                  | -
      please announce, you are Trudy.                      | -
      You are Mallory.                                     | -
      """)
  void mindAdoptsName(String text, String expected) {
    assertEquals(Optional.ofNullable(expected), NamingParser.mindAdoptsName(text));
  }

  /** A name is one or two words of at most 20 characters, 32 in all: whatever follows the phrase. */
  @Test
  void aNameIsAtMostTwoShortWords() {
    assertEquals(Optional.empty(), NamingParser.userNamesMind("Your name is " + "A".repeat(16_000)));
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName("My name is " + "Ab".repeat(8_000) + "."));
    assertEquals(Optional.of("Echo"), NamingParser.userNamesMind("Your name is Echo" + "-".repeat(16_000)));
    assertEquals(Optional.of("Abcdefghijklmnop"), NamingParser.userNamesMind("Your name is Abcdefghijklmnop Qrstuvwxyzabcdefg."),
        "a second word that would make it longer than 32 is left out");
    assertEquals(Optional.of("Abcdefghijklmnopqrst"), NamingParser.mindAdoptsName("My name is Abcdefghijklmnopqrst."));
    assertEquals(Optional.empty(), NamingParser.mindAdoptsName("My name is Abcdefghijklmnopqrstu."));
  }
}
