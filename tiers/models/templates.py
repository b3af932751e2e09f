"""Chat templates (Jinja, as transformers and vLLM render them) for models whose files carry none.

Whitespace control (`{%-`, `{{-`) strips the template's own layout, so only the string literals reach the
prompt; `'\n'` inside a Jinja string literal is a newline.
"""

# Gemma turn format. Gemma has no system role: like Google's own template, the system text is prepended to
# the first user turn. BOS is part of the template because vLLM renders chat prompts and then tokenizes
# them without special tokens.
GEMMA_CHAT_TEMPLATE = r"""{{- bos_token -}}
{%- if messages and messages[0]['role'] == 'system' -%}
  {%- set system_text = (messages[0]['content'] or '') | trim -%}
  {%- set turns = messages[1:] -%}
{%- else -%}
  {%- set system_text = '' -%}
  {%- set turns = messages -%}
{%- endif -%}
{%- if system_text and not turns -%}
  {{- '<start_of_turn>user\n' + system_text + '<end_of_turn>\n' -}}
{%- endif -%}
{%- for message in turns -%}
  {%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
  {{- '<start_of_turn>' + role + '\n' -}}
  {%- if loop.first and system_text -%}
    {{- system_text + '\n\n' -}}
  {%- endif -%}
  {{- ((message['content'] or '') | trim) + '<end_of_turn>\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}
  {{- '<start_of_turn>model\n' -}}
{%- endif -%}"""

# Plain ChatML, as SmolLM2 and many small instruct models use (no default system prompt, no BOS).
CHATML_CHAT_TEMPLATE = r"""{%- for message in messages -%}
  {{- '<|im_start|>' + message['role'] + '\n' + (message['content'] or '') + '<|im_end|>\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}
  {{- '<|im_start|>assistant\n' -}}
{%- endif -%}"""
